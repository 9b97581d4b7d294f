//! `cross-region`: the two VNets of a peering are in different regions.

use super::{Level, Rule, RuleMeta, both_vnets};
use crate::diagnostic::{Diagnostic, Label};
use crate::ir::{Model, Value};

pub(crate) struct CrossRegion;

static META: RuleMeta = RuleMeta {
    id: "cross-region",
    summary: "The two VNets of a peering are in different regions",
    default_level: Level::Error,
    doc: include_str!("../../docs/rules/cross-region.md"),
};

impl Rule for CrossRegion {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, model: &Model, _: &super::Options, out: &mut Vec<Diagnostic>) {
        for p in &model.peerings {
            let Some((local, remote)) = both_vnets(model, p) else {
                continue;
            };
            let (Value::Known(here), Value::Known(there)) =
                (&local.location.value, &remote.location.value)
            else {
                continue;
            };
            if here.normalized == there.normalized {
                continue;
            }
            out.push(
                Diagnostic::new(
                    "cross-region",
                    format!(
                        "`{}` peers VNets in different regions: `{}` is in {}, `{}` in {}",
                        p.label, local.label, here.written, remote.label, there.written
                    ),
                    Label::new(
                        p.remote.span,
                        format!("peers `{}` with `{}`", local.label, remote.label),
                    ),
                )
                .with_related(Label::new(
                    local.location.span,
                    format!("`{}` is in {}", local.label, here.written),
                ))
                .with_related(Label::new(
                    remote.location.span,
                    format!("`{}` is in {}", remote.label, there.written),
                ))
                .with_note(
                    "Azure's 2017 rule: peered VNets must be in the same region. Global VNet \
                     peering allows cross-region peering since 2018, with caveats (gateway \
                     transit needs a non-Basic gateway SKU; Basic load balancers are not \
                     reachable across regions).",
                )
                .with_help(
                    "put both VNets in one region; if this estate uses global VNet peering on \
                     purpose, turn the rule off with `cross-region = \"off\"` under [rules] in \
                     .peerlint.toml",
                ),
            );
        }
    }
}
