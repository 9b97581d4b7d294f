//! Rules: each reads the [`Model`] and reports what Azure would reject.
//!
//! One file per rule, holding its metadata and its check; the one registry list is
//! [`RULES`]. A rule does no IO, never parses, and does not choose its severity (the
//! configured level of its id does). A rule reports only what it knows: an `Unknown`
//! value makes it stay silent.

use crate::diagnostic::{Diagnostic, Severity};
use crate::ir::{Flag, Model, Peering, Span, Value, Vnet};
use std::fmt;
use std::str::FromStr;

pub mod input;

mod address_overlap;
mod classic_gateway_transit;
mod classic_to_classic;
mod cross_region;
mod duplicate_peering;
mod gateway_transit_basic_sku;
mod invalid_address_prefix;
mod missing_reverse_peering;
mod multiple_remote_gateways;
mod overlapping_peers;
mod peered_address_change;
mod peering_limit;
mod remote_gateway_conflict;
mod remote_gateway_missing;
mod remote_gateway_without_transit;
mod self_peering;

/// The level a rule runs at: off, or the severity of what it reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Off,
    Note,
    Warning,
    Error,
}

impl Level {
    pub fn severity(self) -> Option<Severity> {
        match self {
            Level::Off => None,
            Level::Note => Some(Severity::Note),
            Level::Warning => Some(Severity::Warning),
            Level::Error => Some(Severity::Error),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Level::Off => "off",
            Level::Note => "note",
            Level::Warning => "warning",
            Level::Error => "error",
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Level {
    type Err = String;

    fn from_str(s: &str) -> Result<Level, String> {
        match s {
            "off" => Ok(Level::Off),
            "note" => Ok(Level::Note),
            "warning" => Ok(Level::Warning),
            "error" => Ok(Level::Error),
            other => Err(format!(
                "unknown level \"{other}\" (expected off, note, warning or error)"
            )),
        }
    }
}

/// What a rule is: its id (a contract, stable forever), a one-line summary, its default
/// level and its documentation page (what `peerlint explain` prints).
#[derive(Debug)]
pub struct RuleMeta {
    pub id: &'static str,
    pub summary: &'static str,
    pub default_level: Level,
    pub doc: &'static str,
}

/// The rules' options, from the configuration.
#[derive(Debug, Clone)]
pub struct Options {
    /// `peering-limit`'s `max`: the most peerings a VNet may have.
    pub peering_limit_max: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            peering_limit_max: 500,
        }
    }
}

/// A check over the whole model.
pub trait Rule: Sync {
    fn meta(&self) -> &'static RuleMeta;
    /// Appends one diagnostic per offending peering (instance). The severity is set later.
    fn check(&self, model: &Model, options: &Options, out: &mut Vec<Diagnostic>);
}

/// Every rule over the model, in documentation order.
pub static RULES: &[&dyn Rule] = &[
    &address_overlap::AddressOverlap,
    &cross_region::CrossRegion,
    &classic_to_classic::ClassicToClassic,
    &classic_gateway_transit::ClassicGatewayTransit,
    &remote_gateway_conflict::RemoteGatewayConflict,
    &peered_address_change::PeeredAddressChange,
    &overlapping_peers::OverlappingPeers,
    &remote_gateway_missing::RemoteGatewayMissing,
    &remote_gateway_without_transit::RemoteGatewayWithoutTransit,
    &multiple_remote_gateways::MultipleRemoteGateways,
    &missing_reverse_peering::MissingReversePeering,
    &self_peering::SelfPeering,
    &duplicate_peering::DuplicatePeering,
    &peering_limit::PeeringLimit,
    &invalid_address_prefix::InvalidAddressPrefix,
    &gateway_transit_basic_sku::GatewayTransitBasicSku,
];

/// Every rule id peerlint can report: the model rules, then the input checks.
pub fn all() -> impl Iterator<Item = &'static RuleMeta> {
    RULES.iter().map(|r| r.meta()).chain(input::META.iter())
}

/// The rule with this id.
pub fn find(id: &str) -> Option<&'static RuleMeta> {
    all().find(|m| m.id == id)
}

/// Runs every rule that is not off.
pub fn run(model: &Model, options: &Options, enabled: impl Fn(&str) -> bool) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for rule in RULES {
        if enabled(rule.meta().id) {
            rule.check(model, options, &mut out);
        }
    }
    out
}

// ----- helpers shared by rules --------------------------------------------------------

/// Where a flag is written, or the peering's header when it is left at its default.
pub(crate) fn flag_span(p: &Peering, flag: &Flag) -> Span {
    flag.span.unwrap_or(p.origin)
}

/// Whether a VNet has a gateway, when the model can tell: it has one linked to it
/// (`Some(true)`), or it is certainly without one (`Some(false)`): described whole (not
/// only read) and its every gateway visible. A VNet the code declares with a
/// `RouteServerSubnet`, or with a `GatewaySubnet` when the checked code declares no
/// gateway at all, may get a Route Server or a gateway from another stack (a gateway
/// takes long to deploy and often has a state of its own): not known then. A classic
/// VNet's gateways are not modelled.
pub(crate) fn has_gateway(model: &Model, vnet: crate::ir::VnetId) -> Option<bool> {
    let v = model.vnet(vnet);
    if !v.gateways.is_empty() {
        return Some(true);
    }
    if v.existing
        || v.gateways_unknown
        || v.model == crate::ir::DeploymentModel::Classic
        || model.gaps.gateways
        || model.gateways.iter().any(|g| g.vnet.resolved.is_none())
    {
        return None;
    }
    if !v.deployed {
        // A subnet named (or maybe named) `name`.
        let has = |name: &str| {
            v.subnets.iter().any(|&s| match &model.subnet(s).name {
                Value::Known(n) => n.eq_ignore_ascii_case(name),
                Value::Unknown => true,
            })
        };
        // A Route Server is deployed apart from the VNet's code as a rule; a gateway too,
        // unless the checked code declares gateways (whatever their count or condition).
        if has("RouteServerSubnet") || (!model.gateways_declared && has("GatewaySubnet")) {
            return None;
        }
    }
    Some(false)
}

/// Whether a reference certainly names the VNet it was linked to. The linker matches a
/// reference whose subscription is not certainly the VNet's on resource group and name
/// (see `frontend::link`); that is a good guess for most rules, not for one that reports
/// what the VNet lacks: estates give every landing zone the same `rg-network/vnet-weu`,
/// so a literal subscription on one side and not on the other may be two VNets. Two
/// subscriptions that are both not literal (the provider's, the deployment's) stand for
/// the code's own, and are taken as the same.
pub(crate) fn certain_link(model: &Model, r: &crate::ir::VnetRef) -> bool {
    use crate::ir::Subscription::Known;
    let Some(v) = r.resolved else {
        return false;
    };
    let v = model.vnet(v);
    match r.target.known() {
        // Linked by the frontend itself (a reference to the resource).
        None => true,
        Some(k) => match (&k.subscription, &v.subscription) {
            (Known(a), Known(b)) => a == b,
            (Known(_), _) | (_, Known(_)) => false,
            _ => true,
        },
    }
}

/// Which VNet a reference names, so that two references can be compared: the VNet it
/// resolved to, else the identity it writes when that is known (a literal or symbolic
/// subscription, a resource group and a name).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum End {
    Vnet(crate::ir::VnetId),
    /// Subscription (`k:<id>` or `s:<symbol>`), resource group and name, lowercase.
    Named(String, String, String),
}

impl End {
    pub(crate) fn of(r: &crate::ir::VnetRef) -> Option<End> {
        if let Some(v) = r.resolved {
            return Some(End::Vnet(v));
        }
        let key = r.target.known()?;
        let sub = match &key.subscription {
            crate::ir::Subscription::Known(s) => format!("k:{s}"),
            crate::ir::Subscription::Symbolic(n) => format!("s:{n}"),
            crate::ir::Subscription::Unknown => return None,
        };
        Some(End::Named(
            sub,
            key.resource_group.to_lowercase(),
            key.name.to_lowercase(),
        ))
    }

    /// How messages name it: the VNet's label, or the name the reference writes.
    pub(crate) fn label(&self, model: &Model, r: &crate::ir::VnetRef) -> String {
        match self {
            End::Vnet(v) => model.vnet(*v).label.clone(),
            End::Named(..) => r
                .target
                .known()
                .map_or_else(String::new, |k| k.name.clone()),
        }
    }
}

/// Of peerings that may not all exist (two to one remote VNet, two that use a remote
/// gateway), the ones to report, each with the one that stands before it: what Azure
/// has already stands, then the first in the code; a peering that exists is not the
/// change's doing, and one of another variant never meets it (see `Peering::variant`).
pub(crate) fn extras(model: &Model, mut list: Vec<usize>) -> Vec<(usize, usize)> {
    list.sort_by_key(|&i| !model.peerings[i].exists);
    let mut out = Vec::new();
    for (k, &i) in list.iter().enumerate().skip(1) {
        let p = &model.peerings[i];
        if p.exists {
            continue;
        }
        if let Some(&first) = list[..k]
            .iter()
            .find(|&&j| crate::ir::together(p, &model.peerings[j]))
        {
            out.push((i, first));
        }
    }
    out
}

/// The peerings whose local VNet is `from` and remote `to`.
pub(crate) fn peerings_between(
    model: &Model,
    from: crate::ir::VnetId,
    to: crate::ir::VnetId,
) -> impl Iterator<Item = &Peering> {
    model
        .peerings
        .iter()
        .filter(move |p| p.local.resolved == Some(from) && p.remote.resolved == Some(to))
}

/// Both VNets of a peering, when both are declared in the checked code.
pub(crate) fn both_vnets<'m>(model: &'m Model, p: &Peering) -> Option<(&'m Vnet, &'m Vnet)> {
    Some((model.resolve(&p.local)?, model.resolve(&p.remote)?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn ids_are_unique_kebab_case_and_documented() {
        let mut seen = HashSet::new();
        for meta in all() {
            assert!(seen.insert(meta.id), "duplicate rule id {}", meta.id);
            assert!(
                meta.id.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "{} is not kebab-case",
                meta.id
            );
            assert!(
                meta.doc.starts_with(&format!("# {}\n", meta.id)),
                "the doc page of {} must start with its id as title",
                meta.id
            );
            for section in ["## What it does", "## Why is this bad?", "## Example"] {
                assert!(
                    meta.doc.contains(section),
                    "the doc page of {} lacks {section}",
                    meta.id
                );
            }
            assert!(
                !meta.summary.ends_with('.'),
                "{}: summaries have no full stop",
                meta.id
            );
        }
    }

    #[test]
    fn the_five_founding_rules_keep_their_ids() {
        let ids: Vec<&str> = RULES.iter().map(|r| r.meta().id).take(5).collect();
        assert_eq!(
            ids,
            [
                "address-overlap",
                "cross-region",
                "classic-to-classic",
                "classic-gateway-transit",
                "remote-gateway-conflict"
            ]
        );
    }
}
