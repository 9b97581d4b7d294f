//! `overlapping-peers`: a VNet is peered with two VNets whose address spaces overlap each
//! other (two spokes of one hub).
//!
//! Azure refuses a peering between two VNets when one of them overlaps a VNet the other is
//! already peered with, whichever side the peering is created from. So for every VNet, the
//! VNets it is peered with, through peerings in either direction, must not overlap each
//! other. Their prefixes are sorted and swept once per VNet: a hub with a thousand spokes
//! costs a sort, not a million comparisons.

use super::address_overlap::{Owned, peered_prefixes};
use super::{End, Level, Options, Rule, RuleMeta};
use crate::diagnostic::{Diagnostic, Label};
use crate::ir::{Model, Peering, Value, VnetId, together};
use ipnet::IpNet;
use std::collections::{BTreeMap, BTreeSet};

pub(crate) struct OverlappingPeers;

static META: RuleMeta = RuleMeta {
    id: "overlapping-peers",
    summary: "A VNet is peered with two VNets whose address spaces overlap each other",
    default_level: Level::Error,
    doc: include_str!("../../docs/rules/overlapping-peers.md"),
};

/// A prefix a peer brings to the shared VNet.
struct Entry<'m> {
    start: u128,
    end: u128,
    v6: bool,
    owned: Owned<'m>,
    peer: VnetId,
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

/// The VNets peered with one VNet: for each, the peerings that link them (either way).
type Peers = BTreeMap<VnetId, Vec<usize>>;

impl Rule for OverlappingPeers {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, model: &Model, _: &Options, out: &mut Vec<Diagnostic>) {
        // The shared VNet need not be declared (a hub in another repository, named by its
        // id); its peers must be, for their prefixes.
        let mut shared: BTreeMap<End, (String, Peers)> = BTreeMap::new();
        for (i, p) in model.peerings.iter().enumerate() {
            let (Some(l), Some(r)) = (End::of(&p.local), End::of(&p.remote)) else {
                continue;
            };
            if l == r {
                continue;
            }
            for (hub, hub_ref, peer) in [
                (&l, &p.local, p.remote.resolved),
                (&r, &p.remote, p.local.resolved),
            ] {
                if let Some(peer) = peer {
                    let (_, peers) = shared
                        .entry(hub.clone())
                        .or_insert_with(|| (hub.label(model, hub_ref), Peers::new()));
                    peers.entry(peer).or_default().push(i);
                }
            }
        }
        // A peering in conflict with several peers of one VNet is reported once.
        let mut reported: BTreeSet<usize> = BTreeSet::new();
        for (hub, (label, peers)) in &shared {
            if peers.len() < 2 {
                continue;
            }
            let hub = Hub { end: hub, label };
            check_vnet(model, &hub, peers, &mut reported, out);
        }
    }
}

/// The VNet two peers share, and how messages name it.
struct Hub<'h> {
    end: &'h End,
    label: &'h str,
}

/// The prefixes `peer` brings to the shared VNet through the peering `p`: what the
/// peering makes routable. `None` when not known.
fn brought<'m>(model: &'m Model, p: &Peering, peer: VnetId) -> Option<Vec<Owned<'m>>> {
    let subnet_mode = match p.peer_complete_vnets.value {
        Value::Known(complete) => !complete,
        Value::Unknown => return None,
    };
    // From the hub, the peer is the remote side; from the peer, the local one.
    let peer_is_local = p.local.resolved == Some(peer);
    let mut prefixes = peered_prefixes(model, p, model.vnet(peer), subnet_mode, peer_is_local)?;
    // Only IPv6 is peered when the flag is set (or may be).
    if p.only_ipv6.value != Value::Known(false) {
        prefixes.retain(|o| matches!(o.net, IpNet::V6(_)));
    }
    Some(prefixes)
}

fn check_vnet(
    model: &Model,
    hub: &Hub<'_>,
    peers: &Peers,
    reported: &mut BTreeSet<usize>,
    out: &mut Vec<Diagnostic>,
) {
    let mut entries: Vec<Entry<'_>> = Vec::new();
    for (&peer, links) in peers {
        // A peer's prefixes once, even when peerings both ways bring them.
        let mut seen: BTreeSet<(u128, u128, bool)> = BTreeSet::new();
        for &i in links {
            let Some(prefixes) = brought(model, &model.peerings[i], peer) else {
                continue;
            };
            for owned in prefixes {
                let (start, end, v6) = bounds(&owned.net);
                if seen.insert((start, end, v6)) {
                    entries.push(Entry {
                        start,
                        end,
                        v6,
                        owned,
                        peer,
                    });
                }
            }
        }
    }
    // Sort and sweep: each prefix meets only those still open where it starts.
    entries.sort_by_key(|e| (e.v6, e.start, std::cmp::Reverse(e.end), e.peer));
    let mut open: Vec<usize> = Vec::new();
    let mut pairs: BTreeMap<(VnetId, VnetId), (usize, usize)> = BTreeMap::new();
    for (k, e) in entries.iter().enumerate() {
        open.retain(|&o| entries[o].v6 == e.v6 && entries[o].end >= e.start);
        for &o in &open {
            let other = &entries[o];
            if other.peer == e.peer {
                continue;
            }
            let key = (other.peer.min(e.peer), other.peer.max(e.peer));
            pairs.entry(key).or_insert((o, k));
        }
        open.push(k);
    }
    for ((a, b), (ea, eb)) in pairs {
        // Peers of two alternatives (dev and prod) never meet.
        let met = peers[&a].iter().any(|&i| {
            peers[&b]
                .iter()
                .any(|&j| together(&model.peerings[i], &model.peerings[j]))
        });
        if !met {
            continue;
        }
        let (ea, eb) = if entries[ea].peer == a {
            (&entries[ea], &entries[eb])
        } else {
            (&entries[eb], &entries[ea])
        };
        let Some((new, old, e_new, e_old)) = newer(model, hub.end, &peers[&a], &peers[&b], ea, eb)
        else {
            continue;
        };
        if reported.insert(new) {
            out.push(report(
                model,
                hub,
                &model.peerings[new],
                &model.peerings[old],
                e_new,
                e_old,
            ));
        }
    }
}

/// Of two peers in conflict, the link that makes it: the side with a peering Azure does
/// not have yet (or whose VNet the change resizes), the later one in the code when both
/// have. Returns that side's first new peering (the shared VNet's own, when it declares
/// one) and the other side's peering (one that exists, when one does). `None` when neither side changes: the conflict is Azure's
/// already, not this change's.
fn newer<'e, 'm>(
    model: &Model,
    hub: &End,
    links_a: &[usize],
    links_b: &[usize],
    ea: &'e Entry<'m>,
    eb: &'e Entry<'m>,
) -> Option<(usize, usize, &'e Entry<'m>, &'e Entry<'m>)> {
    let change = |links: &[usize], peer: VnetId| {
        let new = |i: &usize| !model.peerings[*i].exists;
        let mut new_links = links.iter().copied().filter(new);
        let first = new_links.next();
        first
            .into_iter()
            .chain(new_links)
            .find(|&i| End::of(&model.peerings[i].local).as_ref() == Some(hub))
            .or(first)
            .or_else(|| model.vnet(peer).address_change.is_some().then(|| links[0]))
    };
    let standing = |links: &[usize]| {
        links
            .iter()
            .copied()
            .find(|&i| model.peerings[i].exists)
            .unwrap_or(links[0])
    };
    match (change(links_a, ea.peer), change(links_b, eb.peer)) {
        (None, None) => None,
        (Some(a), Some(b)) if a > b => Some((a, standing(links_b), ea, eb)),
        (_, Some(b)) => Some((b, standing(links_a), eb, ea)),
        (Some(a), None) => Some((a, standing(links_b), ea, eb)),
    }
}

fn report(
    model: &Model,
    hub: &Hub<'_>,
    new: &Peering,
    old: &Peering,
    e_new: &Entry<'_>,
    e_old: &Entry<'_>,
) -> Diagnostic {
    let shared = hub.label;
    let (r_new, r_old) = (&model.vnet(e_new.peer).label, &model.vnet(e_old.peer).label);
    // Each peering as it reads: from its own VNet to its remote.
    let ends = |p: &Peering| {
        let l = p.local.resolved.map(|v| model.vnet(v).label.as_str());
        let r = p.remote.resolved.map(|v| model.vnet(v).label.as_str());
        (
            l.unwrap_or(shared).to_string(),
            r.unwrap_or(shared).to_string(),
        )
    };
    let (from, to) = ends(new);
    Diagnostic::new(
        "overlapping-peers",
        format!(
            "`{}` peers `{from}` with `{to}`, but `{shared}` is peered with `{r_old}` already, which overlaps `{r_new}`: {} ({}) overlaps {} ({})",
            new.label,
            e_new.owned.prefix.text,
            e_new.owned.owner,
            e_old.owned.prefix.text,
            e_old.owned.owner
        ),
        Label::new(
            new.remote.span,
            format!("`{r_new}` overlaps `{r_old}`, a peer of `{shared}`"),
        ),
    )
    .with_related(Label::new(
        old.remote.span,
        format!("`{}` peers `{shared}` and `{r_old}`", old.label),
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
        "Azure rejects a peering between two VNets when one of them overlaps a VNet the \
         other is already peered with (VnetAddressSpaceOverlapsWithAlreadyPeeredVnet): the \
         shared VNet could not route the common range to both.",
    )
    .with_help(format!(
        "give `{r_new}` and `{r_old}` address spaces that do not overlap (carve spokes from \
         one plan of ranges)"
    ))
}
