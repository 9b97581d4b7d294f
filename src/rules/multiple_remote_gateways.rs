//! `multiple-remote-gateways`: more than one peering of one VNet uses a remote gateway.

use super::{Level, Options, Rule, RuleMeta, flag_span};
use crate::diagnostic::{Diagnostic, Label};
use crate::ir::{Model, VnetId};
use std::collections::BTreeMap;

pub(crate) struct MultipleRemoteGateways;

static META: RuleMeta = RuleMeta {
    id: "multiple-remote-gateways",
    summary: "More than one peering of one VNet uses a remote gateway",
    default_level: Level::Error,
    doc: include_str!("../../docs/rules/multiple-remote-gateways.md"),
};

impl Rule for MultipleRemoteGateways {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, model: &Model, _: &Options, out: &mut Vec<Diagnostic>) {
        let mut by_local: BTreeMap<VnetId, Vec<usize>> = BTreeMap::new();
        for (i, p) in model.peerings.iter().enumerate() {
            if p.use_remote_gateways.value.is_true()
                && let Some(l) = p.local.resolved
            {
                by_local.entry(l).or_default().push(i);
            }
        }
        for (local, list) in by_local {
            if list.len() < 2 {
                continue;
            }
            // The first in the code is the one that stands; report the others (code before
            // what the inventory says exists).
            let mut list = list;
            list.sort_by_key(|&i| model.peerings[i].deployed);
            let first = &model.peerings[list[0]];
            for &i in &list[1..] {
                let p = &model.peerings[i];
                out.push(
                    Diagnostic::new(
                        "multiple-remote-gateways",
                        format!(
                            "`{}` uses a remote gateway, but `{}` of the same VNet `{}` does already",
                            p.label,
                            first.label,
                            model.vnet(local).label
                        ),
                        Label::new(flag_span(p, &p.use_remote_gateways), "a second remote gateway"),
                    )
                    .with_related(Label::new(
                        flag_span(first, &first.use_remote_gateways),
                        format!("`{}` uses a remote gateway", first.label),
                    ))
                    .with_note(
                        "Azure rejects the peering: a VNet can use one remote gateway only \
                         (\"Only one peering can have this flag set to true\").",
                    )
                    .with_help(format!(
                        "keep `{}` on one peering of `{}` only",
                        p.use_remote_gateways.setting(true),
                        model.vnet(local).label
                    )),
                );
            }
        }
    }
}
