//! `address-overlap`: the two VNets of a peering have overlapping address spaces.

use super::{Level, Rule, RuleMeta, both_vnets};
use crate::diagnostic::{Diagnostic, Label};
use crate::ir::{Model, Peering, Prefix, SubnetId, Value, Vnet};
use ipnet::IpNet;

pub(crate) struct AddressOverlap;

static META: RuleMeta = RuleMeta {
    id: "address-overlap",
    summary: "The two VNets of a peering have overlapping address spaces",
    default_level: Level::Error,
    doc: include_str!("../../docs/rules/address-overlap.md"),
};

/// At most this many overlapping pairs are labelled; the message counts the rest.
const MAX_PAIRS: usize = 3;

impl Rule for AddressOverlap {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, model: &Model, _: &super::Options, out: &mut Vec<Diagnostic>) {
        for p in &model.peerings {
            let Some((local, remote)) = both_vnets(model, p) else {
                continue;
            };
            if p.local.resolved == p.remote.resolved {
                continue;
            }
            let subnet_mode = match p.peer_complete_vnets.value {
                Value::Known(complete) => !complete,
                Value::Unknown => continue,
            };
            let (Some(mine), Some(theirs)) = (
                peered_prefixes(model, p, local, subnet_mode, true),
                peered_prefixes(model, p, remote, subnet_mode, false),
            ) else {
                continue;
            };
            // With `only_ipv6` true (or not known), only IPv6 overlaps certainly matter.
            let ipv6_only = p.only_ipv6.value != Value::Known(false);
            let pairs = overlapping(&mine, &theirs, ipv6_only);
            if pairs.is_empty() {
                continue;
            }
            out.push(report(p, local, remote, &pairs, subnet_mode));
        }
    }
}

/// A prefix that takes part in the peering, and what it belongs to (for messages).
pub(super) struct Owned<'m> {
    pub net: IpNet,
    pub prefix: &'m Prefix,
    pub owner: String,
}

/// The prefixes a side of the peering contributes: its whole address space, or the
/// prefixes of its peered subnets. `None` when they cannot be determined.
pub(super) fn peered_prefixes<'m>(
    model: &'m Model,
    p: &Peering,
    vnet: &'m Vnet,
    subnet_mode: bool,
    local: bool,
) -> Option<Vec<Owned<'m>>> {
    if !subnet_mode {
        let owner = format!("`{}`", vnet.label);
        return Some(
            vnet.address_space
                .nets()
                .map(|(net, prefix)| Owned {
                    net: *net,
                    prefix,
                    owner: owner.clone(),
                })
                .collect(),
        );
    }
    let names = if local {
        &p.local_subnet_names
    } else {
        &p.remote_subnet_names
    };
    let Value::Known(names) = &names.as_ref()?.value else {
        return None;
    };
    let mut out = Vec::new();
    for name in names {
        // A subnet that is not declared contributes nothing known.
        if let Some(subnet) = subnet_named(model, &vnet.subnets, name) {
            let owner = format!("subnet `{name}` of `{}`", vnet.label);
            out.extend(subnet.address_prefixes.nets().map(|(net, prefix)| Owned {
                net: *net,
                prefix,
                owner: owner.clone(),
            }));
        }
    }
    Some(out)
}

fn subnet_named<'m>(
    model: &'m Model,
    ids: &[SubnetId],
    name: &str,
) -> Option<&'m crate::ir::Subnet> {
    ids.iter()
        .map(|&id| model.subnet(id))
        .find(|s| matches!(&s.name, Value::Known(n) if n.eq_ignore_ascii_case(name)))
}

fn overlapping<'o, 'm>(
    mine: &'o [Owned<'m>],
    theirs: &'o [Owned<'m>],
    ipv6_only: bool,
) -> Vec<(&'o Owned<'m>, &'o Owned<'m>)> {
    let mut pairs = Vec::new();
    for a in mine {
        if ipv6_only && matches!(a.net, IpNet::V4(_)) {
            continue;
        }
        for b in theirs {
            if a.net.contains(&b.net.network()) || b.net.contains(&a.net.network()) {
                pairs.push((a, b));
            }
        }
    }
    pairs
}

fn report(
    p: &Peering,
    local: &Vnet,
    remote: &Vnet,
    pairs: &[(&Owned<'_>, &Owned<'_>)],
    subnet_mode: bool,
) -> Diagnostic {
    let (a, b) = pairs[0];
    let what = if subnet_mode {
        "peered subnets"
    } else {
        "address spaces"
    };
    let mut message = format!(
        "`{}` peers VNets whose {what} overlap: {} ({}) overlaps {} ({})",
        p.label, a.prefix.text, a.owner, b.prefix.text, b.owner
    );
    if pairs.len() > 1 {
        message.push_str(&format!(
            " (and {} more overlapping pair{})",
            pairs.len() - 1,
            if pairs.len() == 2 { "" } else { "s" }
        ));
    }
    let mut d = Diagnostic::new(
        "address-overlap",
        message,
        Label::new(
            p.remote.span,
            format!("peers `{}` with `{}`", local.label, remote.label),
        ),
    );
    let mut labelled = Vec::new();
    for (a, b) in pairs.iter().take(MAX_PAIRS) {
        for o in [a, b] {
            if !labelled.contains(&o.prefix.span) {
                labelled.push(o.prefix.span);
                d = d.with_related(Label::new(
                    o.prefix.span,
                    format!("{} of {}", o.prefix.text, o.owner),
                ));
            }
        }
    }
    let note = if subnet_mode {
        "Azure rejects a subnet peering whose peered subnets overlap: traffic to the shared \
         range could not be routed to one side (VnetAddressSpacesOverlap)."
    } else {
        "Azure rejects a peering between VNets whose address spaces overlap: traffic to the \
         shared range could not be routed to one side (VnetAddressSpacesOverlap)."
    };
    d.with_note(note).with_help(if subnet_mode {
        "peer only subnets whose prefixes do not overlap, or re-address one of them".to_string()
    } else {
        format!(
            "give one VNet an address space that does not overlap the other's, or peer only \
             non-overlapping subnets (`{}`)",
            p.peer_complete_vnets.setting(false)
        )
    })
}
