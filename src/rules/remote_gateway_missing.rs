//! `remote-gateway-missing`: a peering uses the remote VNet's gateway, and the remote VNet
//! has none.

use super::{Level, Options, Rule, RuleMeta, certain_link, flag_span, has_gateway};
use crate::diagnostic::{Diagnostic, Label};
use crate::ir::{Model, Value, Vnet};

pub(crate) struct RemoteGatewayMissing;

static META: RuleMeta = RuleMeta {
    id: "remote-gateway-missing",
    summary: "A peering uses the remote VNet's gateway, and the remote VNet has no gateway",
    default_level: Level::Error,
    doc: include_str!("../../docs/rules/remote-gateway-missing.md"),
};

impl Rule for RemoteGatewayMissing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, model: &Model, _: &Options, out: &mut Vec<Diagnostic>) {
        for p in &model.peerings {
            if !p.use_remote_gateways.value.is_true() {
                continue;
            }
            let Some(remote) = p.remote.resolved else {
                continue;
            };
            // The VNet a literal id names may be another of that name (see `certain_link`).
            if p.local.resolved == Some(remote)
                || !certain_link(model, &p.remote)
                || has_gateway(model, remote) != Some(false)
            {
                continue;
            }
            let r = model.vnet(remote);
            out.push(
                Diagnostic::new(
                    "remote-gateway-missing",
                    format!(
                        "`{}` uses the remote VNet's gateway, but `{}` has no gateway",
                        p.label, r.label
                    ),
                    Label::new(
                        flag_span(p, &p.use_remote_gateways),
                        "uses the remote gateway",
                    ),
                )
                .with_related(Label::new(r.origin, evidence(model, r)))
                .with_note(
                    "Azure rejects the peering (RemoteVnetHasNoGateways): a peering can use the \
                     remote VNet's gateway only when that VNet has one.",
                )
                .with_help(format!(
                    "deploy a gateway in `{}` before this peering (in a GatewaySubnet{}), or \
                     remove `{}`",
                    r.label,
                    if has_subnet(model, r, "GatewaySubnet") {
                        ""
                    } else {
                        ", which it lacks"
                    },
                    p.use_remote_gateways.setting(true)
                )),
            );
        }
    }
}

fn has_subnet(model: &Model, v: &Vnet, name: &str) -> bool {
    v.subnets
        .iter()
        .any(|&s| matches!(&model.subnet(s).name, Value::Known(n) if n.eq_ignore_ascii_case(name)))
}

/// Why the VNet has no gateway, as its label says.
fn evidence(model: &Model, v: &Vnet) -> String {
    if v.deployed {
        format!(
            "`{}` has no gateway in the inventory (no GatewaySubnet in use)",
            v.label
        )
    } else if has_subnet(model, v, "GatewaySubnet") {
        format!(
            "`{}` has a GatewaySubnet, but the checked code deploys no gateway in it",
            v.label
        )
    } else {
        format!("`{}` has no GatewaySubnet, so no gateway", v.label)
    }
}
