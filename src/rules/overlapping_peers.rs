//! `overlapping-peers`: a VNet is peered with two VNets whose address spaces overlap each
//! other (two spokes of one hub).

use super::address_overlap::{Owned, peered_prefixes};
use super::{Level, Options, Rule, RuleMeta};
use crate::diagnostic::{Diagnostic, Label};
use crate::ir::{Model, Peering, Value, VnetId};
use ipnet::IpNet;
use std::collections::{BTreeMap, BTreeSet};

pub(crate) struct OverlappingPeers;

static META: RuleMeta = RuleMeta {
    id: "overlapping-peers",
    summary: "A VNet is peered with two VNets whose address spaces overlap each other",
    default_level: Level::Error,
    doc: include_str!("../../docs/rules/overlapping-peers.md"),
};

/// A prefix a peer brings to the shared VNet, and through which peering.
struct Entry<'m> {
    start: u128,
    end: u128,
    v6: bool,
    owned: Owned<'m>,
    peering: usize,
    remote: VnetId,
}

fn bounds(net: &IpNet) -> (u128, u128, bool) {
    match net {
        IpNet::V4(n) => (
            u32::from(n.network()) as u128,
            u32::from(n.broadcast()) as u128,
            false,
        ),
        IpNet::V6(n) => (u128::from(n.network()), u128::from(n.broadcast()), true),
    }
}

impl Rule for OverlappingPeers {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, model: &Model, _: &Options, out: &mut Vec<Diagnostic>) {
        // The peerings of each VNet, by its id.
        let mut by_local: BTreeMap<VnetId, Vec<usize>> = BTreeMap::new();
        for (i, p) in model.peerings.iter().enumerate() {
            if let (Some(l), Some(r)) = (p.local.resolved, p.remote.resolved)
                && l != r
            {
                by_local.entry(l).or_default().push(i);
            }
        }
        for (local, peerings) in by_local {
            let mut entries: Vec<Entry<'_>> = Vec::new();
            for &i in &peerings {
                let p = &model.peerings[i];
                let Some(remote) = p.remote.resolved else {
                    continue;
                };
                let subnet_mode = match p.peer_complete_vnets.value {
                    Value::Known(complete) => !complete,
                    Value::Unknown => continue,
                };
                let ipv6_only = p.only_ipv6.value != Value::Known(false);
                let Some(prefixes) =
                    peered_prefixes(model, p, model.vnet(remote), subnet_mode, false)
                else {
                    continue;
                };
                for owned in prefixes {
                    if ipv6_only && matches!(owned.net, IpNet::V4(_)) {
                        continue;
                    }
                    let (start, end, v6) = bounds(&owned.net);
                    entries.push(Entry {
                        start,
                        end,
                        v6,
                        owned,
                        peering: i,
                        remote,
                    });
                }
            }
            // Sort and sweep: each prefix meets only those still open where it starts.
            entries.sort_by_key(|e| (e.v6, e.start, std::cmp::Reverse(e.end)));
            let mut open: Vec<usize> = Vec::new();
            let mut pairs: BTreeMap<(usize, usize), (usize, usize)> = BTreeMap::new();
            for (k, e) in entries.iter().enumerate() {
                open.retain(|&o| entries[o].v6 == e.v6 && entries[o].end >= e.start);
                for &o in &open {
                    let other = &entries[o];
                    if other.remote == e.remote {
                        continue;
                    }
                    let key = (other.peering.min(e.peering), other.peering.max(e.peering));
                    pairs.entry(key).or_insert((o, k));
                }
                open.push(k);
            }
            let mut reported: BTreeSet<usize> = BTreeSet::new();
            for ((a, b), (ea, eb)) in pairs {
                let (pa, pb) = (&model.peerings[a], &model.peerings[b]);
                // Report at the newer peering: the one in the code, else the later one.
                let (new, old, e_new, e_old) = if pb.deployed && !pa.deployed {
                    (a, b, eb, ea)
                } else {
                    (b, a, ea, eb)
                };
                let (e_new, e_old) = if entries[e_new].peering == new {
                    (&entries[e_new], &entries[e_old])
                } else {
                    (&entries[e_old], &entries[e_new])
                };
                if !reported.insert(new) {
                    continue;
                }
                out.push(report(
                    model,
                    local,
                    &model.peerings[new],
                    &model.peerings[old],
                    e_new,
                    e_old,
                ));
            }
        }
    }
}

fn report(
    model: &Model,
    local: VnetId,
    new: &Peering,
    old: &Peering,
    e_new: &Entry<'_>,
    e_old: &Entry<'_>,
) -> Diagnostic {
    let shared = &model.vnet(local).label;
    let (r_new, r_old) = (
        &model.vnet(e_new.remote).label,
        &model.vnet(e_old.remote).label,
    );
    Diagnostic::new(
        "overlapping-peers",
        format!(
            "`{}` peers `{shared}` with `{r_new}`, which overlaps `{r_old}`, peered with `{shared}` already: {} ({}) overlaps {} ({})",
            new.label, e_new.owned.prefix.text, e_new.owned.owner, e_old.owned.prefix.text, e_old.owned.owner
        ),
        Label::new(new.remote.span, format!("peers `{shared}` with `{r_new}`")),
    )
    .with_related(Label::new(
        old.remote.span,
        format!("`{}` peers `{shared}` with `{r_old}`", old.label),
    ))
    .with_related(Label::new(
        e_new.owned.prefix.span,
        format!("{} of {}", e_new.owned.prefix.text, e_new.owned.owner),
    ))
    .with_related(Label::new(
        e_old.owned.prefix.span,
        format!("{} of {}", e_old.owned.prefix.text, e_old.owned.owner),
    ))
    .with_note(
        "Azure rejects a peering whose remote VNet overlaps a VNet the local VNet is already \
         peered with (VnetAddressSpaceOverlapsWithAlreadyPeeredVnet): the shared VNet could \
         not route the common range to both.",
    )
    .with_help(
        "give the two peered VNets address spaces that do not overlap (carve spokes from \
         one plan of ranges)",
    )
}
