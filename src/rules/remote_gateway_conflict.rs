//! `remote-gateway-conflict`: a VNet with its own gateway uses a remote gateway.

use super::{Level, Rule, RuleMeta, flag_span};
use crate::diagnostic::{Diagnostic, Label};
use crate::ir::Model;

pub(crate) struct RemoteGatewayConflict;

static META: RuleMeta = RuleMeta {
    id: "remote-gateway-conflict",
    summary: "A peering uses the remote VNet's gateway while its own VNet has a gateway",
    default_level: Level::Error,
    doc: include_str!("../../docs/rules/remote-gateway-conflict.md"),
};

impl Rule for RemoteGatewayConflict {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, model: &Model, _: &super::Options, out: &mut Vec<Diagnostic>) {
        for p in &model.peerings {
            if !p.use_remote_gateways.value.is_true() {
                continue;
            }
            let Some(local) = model.resolve(&p.local) else {
                continue;
            };
            let Some(&gw) = local.gateways.first() else {
                continue;
            };
            let gw = model.gateway(gw);
            out.push(
                Diagnostic::new(
                    "remote-gateway-conflict",
                    format!(
                        "`{}` uses the remote VNet's gateway, but its own VNet `{}` has a gateway (`{}`)",
                        p.label, local.label, gw.label
                    ),
                    Label::new(
                        flag_span(p, &p.use_remote_gateways),
                        "uses the remote gateway",
                    ),
                )
                .with_related(Label::new(
                    gw.origin,
                    format!("the gateway of `{}`", local.label),
                ))
                .with_note(
                    "A VNet that uses a remote gateway cannot have a gateway of its own: Azure \
                     rejects the peering (\"This flag cannot be set if virtual network already \
                     has a gateway\").",
                )
                .with_help(format!(
                    "remove `{}`, or remove the gateway of `{}`",
                    p.use_remote_gateways.setting(true),
                    local.label
                )),
            );
        }
    }
}
