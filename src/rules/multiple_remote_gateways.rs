//! `multiple-remote-gateways`: more than one peering of one VNet uses a remote gateway.

use super::{End, Level, Options, Rule, RuleMeta, extras, flag_span};
use crate::diagnostic::{Diagnostic, Label};
use crate::ir::Model;
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
        // By local VNet: a declared one, or the same identity written twice.
        let mut by_local: BTreeMap<End, Vec<usize>> = BTreeMap::new();
        for (i, p) in model.peerings.iter().enumerate() {
            if p.use_remote_gateways.value.is_true()
                && let Some(l) = End::of(&p.local)
            {
                by_local.entry(l).or_default().push(i);
            }
        }
        for (local, list) in by_local {
            for (i, first) in extras(model, list) {
                let (p, first) = (&model.peerings[i], &model.peerings[first]);
                let vnet = local.label(model, &p.local);
                out.push(
                    Diagnostic::new(
                        "multiple-remote-gateways",
                        format!(
                            "`{}` uses a remote gateway, but `{}` of the same VNet `{vnet}` does already",
                            p.label, first.label
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
                        "keep `{}` on one peering of `{vnet}` only",
                        p.use_remote_gateways.setting(true)
                    )),
                );
            }
        }
    }
}
