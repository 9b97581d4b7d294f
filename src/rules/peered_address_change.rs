//! `peered-address-change`: a peered VNet changes its address space, and its peerings are
//! not re-synced.

use super::{Level, Rule, RuleMeta};
use crate::diagnostic::{Diagnostic, Label};
use crate::ir::{Model, VnetId};

pub(crate) struct PeeredAddressChange;

static META: RuleMeta = RuleMeta {
    id: "peered-address-change",
    summary: "A VNet changes its address space while peered, and its peerings are not re-synced",
    default_level: Level::Warning,
    doc: include_str!("../../docs/rules/peered-address-change.md"),
};

impl Rule for PeeredAddressChange {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, model: &Model, _: &super::Options, out: &mut Vec<Diagnostic>) {
        for (i, vnet) in model.vnets.iter().enumerate() {
            let Some(before) = &vnet.address_change else {
                continue;
            };
            let id = Some(VnetId(i as u32));
            let peerings: Vec<_> = model
                .peerings
                .iter()
                .filter(|p| p.local.resolved == id || p.remote.resolved == id)
                .collect();
            if peerings.is_empty() || peerings.iter().all(|p| p.resync) {
                continue;
            }
            let stale: Vec<_> = peerings.iter().filter(|p| !p.resync).collect();
            let after: Vec<&str> = vnet
                .address_space
                .prefixes
                .iter()
                .map(|p| p.text.as_str())
                .collect();
            let names: Vec<String> = stale.iter().map(|p| format!("`{}`", p.label)).collect();
            let span = vnet
                .address_space
                .span
                .or_else(|| vnet.address_space.prefixes.first().map(|p| p.span))
                .unwrap_or(vnet.origin);
            let mut d = Diagnostic::new(
                "peered-address-change",
                format!(
                    "`{}` changes its address space ({} → {}) while peered; {} must be synced after apply: {}",
                    vnet.label,
                    before.join(", "),
                    if vnet.address_space.complete {
                        after.join(", ")
                    } else {
                        "(unknown)".to_string()
                    },
                    if stale.len() == 1 {
                        "1 peering".to_string()
                    } else {
                        format!("{} peerings", stale.len())
                    },
                    names.join(", ")
                ),
                Label::new(span, "the address space changes here"),
            );
            for p in stale {
                d = d.with_related(Label::new(
                    p.origin,
                    format!("`{}` keeps the old address space until synced", p.label),
                ));
            }
            out.push(
                d.with_note(
                    "Azure's 2017 rule refused to change the address space of a peered VNet. \
                     Since 2021 it allows it, but each peering stays out of sync: the peered \
                     VNets keep routing to the old address space until the peering is synced.",
                )
                .with_help(
                    "after apply, sync each peering (`az network vnet peering sync \
                     --resource-group <rg> --vnet-name <vnet> --name <peering>`), or give each \
                     peering a `triggers` argument built from the address space, so that \
                     Terraform syncs it",
                ),
            );
        }
    }
}
