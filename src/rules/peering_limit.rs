//! `peering-limit`: a VNet has more peerings than Azure allows.

use super::{Level, Options, Rule, RuleMeta};
use crate::diagnostic::{Diagnostic, Label};
use crate::ir::{Model, VnetId};
use std::collections::BTreeMap;

pub(crate) struct PeeringLimit;

static META: RuleMeta = RuleMeta {
    id: "peering-limit",
    summary: "A VNet has more peerings than the limit (500 by default)",
    default_level: Level::Error,
    doc: include_str!("../../docs/rules/peering-limit.md"),
};

impl Rule for PeeringLimit {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, model: &Model, options: &Options, out: &mut Vec<Diagnostic>) {
        let max = options.peering_limit_max;
        let mut by_local: BTreeMap<VnetId, Vec<usize>> = BTreeMap::new();
        for (i, p) in model.peerings.iter().enumerate() {
            if let Some(l) = p.local.resolved {
                by_local.entry(l).or_default().push(i);
            }
        }
        for (local, all) in by_local {
            if all.len() <= max {
                continue;
            }
            // Alternatives (see `Peering::variant`) are counted each with what they share.
            let mut variants: Vec<Option<u32>> = all
                .iter()
                .map(|&i| model.peerings[i].variant)
                .filter(Option::is_some)
                .collect();
            variants.sort();
            variants.dedup();
            if variants.is_empty() {
                variants.push(None);
            }
            let over_limit = variants.into_iter().find_map(|variant| {
                let mut list: Vec<usize> = all
                    .iter()
                    .copied()
                    .filter(|&i| {
                        let v = model.peerings[i].variant;
                        v.is_none() || v == variant
                    })
                    .collect();
                if list.len() <= max {
                    return None;
                }
                // What exists counts first; the code's peerings beyond the limit are the
                // excess. Over the limit in Azure already, and the change adds none: not
                // its doing.
                list.sort_by_key(|&i| !model.peerings[i].exists);
                let first_new = list.iter().position(|&i| !model.peerings[i].exists)?;
                Some((first_new.max(max), list))
            });
            let Some((nth, list)) = over_limit else {
                continue;
            };
            let v = model.vnet(local);
            let over = &model.peerings[list[nth]];
            out.push(
                Diagnostic::new(
                    "peering-limit",
                    format!(
                        "`{}` has {} peerings, more than the limit of {max}",
                        v.label,
                        list.len()
                    ),
                    Label::new(v.origin, format!("{} peerings", list.len())),
                )
                .with_related(Label::new(
                    over.origin,
                    format!("`{}` is peering number {}", over.label, nth + 1),
                ))
                .with_note(
                    "Azure limits the peerings of a VNet (500 by default); beyond it, the \
                     deployment of the next peering fails.",
                )
                .with_help(
                    "spread the spokes over more hubs, or use Azure Virtual Network Manager; if \
                     your subscription's limit is higher, set it with `peering-limit = { max = \
                     N }` under [rules] in .peerlint.toml",
                ),
            );
        }
    }
}
