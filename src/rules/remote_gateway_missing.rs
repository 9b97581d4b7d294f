//! `remote-gateway-missing`: a peering uses the remote VNet's gateway, and the remote VNet
//! has none.

use super::{Level, Options, Rule, RuleMeta, flag_span, has_gateway};
use crate::diagnostic::{Diagnostic, Label};
use crate::ir::Model;

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
            if p.local.resolved == Some(remote) || has_gateway(model, remote) != Some(false) {
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
                .with_related(Label::new(
                    r.origin,
                    if r.deployed {
                        format!(
                            "`{}` has no gateway in the inventory (no GatewaySubnet in use)",
                            r.label
                        )
                    } else {
                        format!("`{}` is declared without a gateway", r.label)
                    },
                ))
                .with_note(
                    "Azure rejects the peering (RemoteVnetHasNoGateways): a peering can use the \
                     remote VNet's gateway only when that VNet has one.",
                )
                .with_help(if r.deployed {
                    format!(
                        "deploy a gateway in `{}` before this peering, or remove `{}`",
                        r.label,
                        p.use_remote_gateways.setting(true)
                    )
                } else {
                    format!(
                        "deploy the gateway in `{}` first (and depend on it), or remove `{}`",
                        r.label,
                        p.use_remote_gateways.setting(true)
                    )
                }),
            );
        }
    }
}
