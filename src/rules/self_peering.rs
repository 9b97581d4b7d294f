//! `self-peering`: a peering whose remote VNet is its own VNet.

use super::{Level, Options, Rule, RuleMeta};
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
            out.push(
                Diagnostic::new(
                    "self-peering",
                    format!("`{}` peers `{}` with itself", p.label, v.label),
                    Label::new(p.remote.span, format!("`{}` again", v.label)),
                )
                .with_related(Label::new(v.origin, format!("`{}`", v.label)))
                .with_note("Azure rejects a peering whose remote VNet is its own VNet.")
                .with_help("point the remote at the other VNet (a copy-paste of the local id?)"),
            );
        }
    }
}
