//! `duplicate-peering`: two peerings from one VNet to the same remote VNet.

use super::{End, Level, Options, Rule, RuleMeta, extras};
use crate::diagnostic::{Diagnostic, Label};
use crate::ir::{Model, Value};
use std::collections::BTreeMap;

pub(crate) struct DuplicatePeering;

static META: RuleMeta = RuleMeta {
    id: "duplicate-peering",
    summary: "Two peerings go from one VNet to the same remote VNet",
    default_level: Level::Error,
    doc: include_str!("../../docs/rules/duplicate-peering.md"),
};

impl Rule for DuplicatePeering {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, model: &Model, _: &Options, out: &mut Vec<Diagnostic>) {
        // By the VNets at both ends: declared ones, or the same identity written twice.
        let mut pairs: BTreeMap<(End, End), Vec<usize>> = BTreeMap::new();
        for (i, p) in model.peerings.iter().enumerate() {
            if let (Some(l), Some(r)) = (End::of(&p.local), End::of(&p.remote))
                && l != r
            {
                pairs.entry((l, r)).or_default().push(i);
            }
        }
        for ((local, remote), list) in pairs {
            for (i, first) in extras(model, list) {
                let (p, first) = (&model.peerings[i], &model.peerings[first]);
                // One peering written twice (inline in its VNet and as a child resource)
                // is one Azure resource, not two.
                let same_name = matches!(
                    (&p.name, &first.name),
                    (Value::Known(a), Value::Known(b)) if a.eq_ignore_ascii_case(b)
                );
                // A deployed peering the Terraform code may have renamed: replaced, not
                // doubled (a plan says which; then the old one is gone from the model).
                if same_name || (first.deployed && p.renames_replace) {
                    continue;
                }
                let (l, r) = (local.label(model, &p.local), remote.label(model, &p.remote));
                out.push(
                    Diagnostic::new(
                        "duplicate-peering",
                        format!(
                            "`{}` peers `{l}` with `{r}`, as `{}` does already",
                            p.label, first.label
                        ),
                        Label::new(p.remote.span, "a second peering to the same VNet"),
                    )
                    .with_related(Label::new(
                        first.remote.span,
                        format!("`{}` peers the same VNets", first.label),
                    ))
                    .with_note(
                        "Azure rejects a second peering between the same two VNets \
                         (AnotherPeeringAlreadyReferencesRemoteVnet): a VNet has at most one \
                         peering to each remote VNet.",
                    )
                    .with_help("keep one of the two peerings"),
                );
            }
        }
    }
}
