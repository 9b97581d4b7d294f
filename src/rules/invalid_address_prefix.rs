//! `invalid-address-prefix`: an address prefix that is not valid CIDR, has host bits set,
//! or (for a subnet) lies outside its VNet's address space.

use super::{Level, Options, Rule, RuleMeta};
use crate::diagnostic::{Diagnostic, Label};
use crate::ir::{Model, Prefix};
use ipnet::IpNet;

pub(crate) struct InvalidAddressPrefix;

static META: RuleMeta = RuleMeta {
    id: "invalid-address-prefix",
    summary: "An address prefix is not CIDR, has host bits set, or lies outside its VNet",
    default_level: Level::Error,
    doc: include_str!("../../docs/rules/invalid-address-prefix.md"),
};

/// What is wrong with a prefix on its own, if anything.
fn problem(p: &Prefix) -> Option<(String, String)> {
    if p.text.trim().is_empty() {
        // A placeholder that every deployment overrides.
        return None;
    }
    let Ok(net) = p.text.trim().parse::<IpNet>() else {
        return Some((
            format!("\"{}\" is not an address prefix in CIDR notation", p.text),
            "InvalidAddressPrefixFormat".to_string(),
        ));
    };
    if net.addr() != net.network() {
        return Some((
            format!(
                "\"{}\" has host bits set: the prefix is {}",
                p.text,
                net.trunc()
            ),
            "InvalidCIDRNotation".to_string(),
        ));
    }
    None
}

impl Rule for InvalidAddressPrefix {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, model: &Model, _: &Options, out: &mut Vec<Diagnostic>) {
        let mut report = |p: &Prefix, owner: &str, message: String, code: &str, help: String| {
            out.push(
                Diagnostic::new(
                    "invalid-address-prefix",
                    format!("{message} (in `{owner}`)"),
                    Label::new(p.span, "this prefix"),
                )
                .with_note(format!(
                    "Azure rejects the address prefix ({code}), so the VNet or subnet cannot be \
                     deployed."
                ))
                .with_help(help),
            );
        };
        for v in &model.vnets {
            for p in &v.address_space.prefixes {
                if let Some((m, code)) = problem(p) {
                    report(p, &v.label, m, &code, fix(p));
                }
            }
        }
        for s in &model.subnets {
            let vnet = s.vnet.resolved.map(|id| model.vnet(id));
            for p in &s.address_prefixes.prefixes {
                if let Some((m, code)) = problem(p) {
                    report(p, &s.label, m, &code, fix(p));
                    continue;
                }
                // Inside its VNet's address space, when that is known in full.
                let (Some(v), Some(net)) = (vnet, p.net) else {
                    continue;
                };
                if !v.address_space.complete || v.address_space.prefixes.is_empty() {
                    continue;
                }
                if v.address_space
                    .nets()
                    .any(|(space, _)| space.contains(&net))
                {
                    continue;
                }
                let spaces: Vec<&str> = v
                    .address_space
                    .prefixes
                    .iter()
                    .map(|x| x.text.as_str())
                    .collect();
                report(
                    p,
                    &s.label,
                    format!(
                        "{} lies outside the address space of `{}` ({})",
                        p.text,
                        v.label,
                        spaces.join(", ")
                    ),
                    "NetcfgSubnetRangeOutsideVnet",
                    format!(
                        "pick a subnet prefix inside {}, or add a range to the VNet's address space",
                        spaces.join(", ")
                    ),
                );
            }
        }
    }
}

/// The help for a prefix that is wrong on its own.
fn fix(p: &Prefix) -> String {
    match p.text.trim().parse::<IpNet>() {
        Ok(net) => format!("write {} (the network address of the range)", net.trunc()),
        Err(_) => "write the prefix as address/length, e.g. 10.1.0.0/16".to_string(),
    }
}
