//! `self-peering`: a peering whose remote VNet is its own VNet.

use super::{Level, Options, Rule, RuleMeta, certain_link};
use crate::diagnostic::{Diagnostic, Label};
use crate::ir::Model;

pub(crate) struct SelfPeering;

static META: RuleMeta = RuleMeta {
    id: "self-peering",
    summary: "A peering's remote VNet is its own VNet",
    default_level: Level::Error,
    doc: include_str!("../../docs/rules/self-peering.md"),
};

impl Rule for SelfPeering {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, model: &Model, _: &Options, out: &mut Vec<Diagnostic>) {
        for p in &model.peerings {
            let Some(local) = p.local.resolved else {
                continue;
            };
            if p.remote.resolved != Some(local) {
                continue;
            }
            let v = model.vnet(local);
            // Linked by resource group and name, the remote may still be another VNet of
            // that name in a subscription not known to be this one's (landing zones that
            // each have `rg-network/vnet-weu`).
            let certain = certain_link(model, &p.remote);
            if !certain {
                continue;
            }
            out.push(
                Diagnostic::new(
                    "self-peering",
                    format!("`{}` peers `{}` with itself", p.label, v.label),
                    Label::new(p.remote.span, format!("`{}` again", v.label)),
                )
                .with_related(Label::new(v.origin, format!("`{}`", v.label)))
                .with_note(
                    "Azure rejects a peering whose remote VNet is its own VNet (\"a virtual \
                     network cannot be peered with itself\").",
                )
                .with_help("point the remote at the other VNet (a copy-paste of the local id?)"),
            );
        }
    }
}
