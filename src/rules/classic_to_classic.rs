//! `classic-to-classic`: both VNets of a peering are classic.

use super::{Level, Rule, RuleMeta};
use crate::diagnostic::{Diagnostic, Label};
use crate::ir::{Model, VnetRef};

pub(crate) struct ClassicToClassic;

static META: RuleMeta = RuleMeta {
    id: "classic-to-classic",
    summary: "Both VNets of a peering are classic (Azure Service Manager) VNets",
    default_level: Level::Error,
    doc: include_str!("../../docs/rules/classic-to-classic.md"),
};

impl Rule for ClassicToClassic {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, model: &Model, _: &super::Options, out: &mut Vec<Diagnostic>) {
        for p in &model.peerings {
            if !(model.is_classic(&p.local).is_true() && model.is_classic(&p.remote).is_true()) {
                continue;
            }
            let (local, remote) = (model.describe(&p.local), model.describe(&p.remote));
            out.push(
                Diagnostic::new(
                    "classic-to-classic",
                    format!(
                        "`{}` peers two classic VNets, `{local}` and `{remote}`",
                        p.label
                    ),
                    Label::new(p.remote.span, format!("`{remote}` is a classic VNet")),
                )
                .with_related(classic_evidence(model, &p.local, &local))
                .with_note(
                    "Two VNets created through the classic deployment model cannot be peered \
                     to each other; a classic VNet can only be peered with a Resource Manager \
                     VNet.",
                )
                .with_help(
                    "migrate one of the VNets to Resource Manager (classic networking is \
                     retired) and peer from the Resource Manager side",
                ),
            );
        }
    }
}

/// Where the code shows that a VNet is classic: its declaration, or the reference.
pub(crate) fn classic_evidence(model: &Model, r: &VnetRef, name: &str) -> Label {
    let span = model.resolve(r).map_or(r.span, |v| v.origin);
    Label::new(span, format!("`{name}` is a classic VNet"))
}
