//! `remote-gateway-without-transit`: a peering uses the remote VNet's gateway, and the
//! reverse peering does not allow gateway transit.

use super::{Level, Options, Rule, RuleMeta, flag_span, has_gateway, peerings_between};
use crate::diagnostic::{Diagnostic, Label};
use crate::ir::{Model, Value, together};

pub(crate) struct RemoteGatewayWithoutTransit;

static META: RuleMeta = RuleMeta {
    id: "remote-gateway-without-transit",
    summary: "A peering uses the remote gateway, and the reverse peering does not allow gateway transit",
    default_level: Level::Error,
    doc: include_str!("../../docs/rules/remote-gateway-without-transit.md"),
};

impl Rule for RemoteGatewayWithoutTransit {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, model: &Model, _: &Options, out: &mut Vec<Diagnostic>) {
        for p in &model.peerings {
            if !p.use_remote_gateways.value.is_true() {
                continue;
            }
            let (Some(local), Some(remote)) = (p.local.resolved, p.remote.resolved) else {
                continue;
            };
            // No gateway at all is the more specific finding (`remote-gateway-missing`).
            if local == remote || has_gateway(model, remote) == Some(false) {
                continue;
            }
            let reverse: Vec<_> = peerings_between(model, remote, local)
                .filter(|q| together(p, q))
                .collect();
            let Some(q) = reverse.first() else {
                continue;
            };
            if !reverse
                .iter()
                .all(|q| q.allow_gateway_transit.value == Value::Known(false))
            {
                continue;
            }
            out.push(
                Diagnostic::new(
                    "remote-gateway-without-transit",
                    format!(
                        "`{}` uses the remote VNet's gateway, but the reverse peering `{}` does not allow gateway transit",
                        p.label, q.label
                    ),
                    Label::new(flag_span(p, &p.use_remote_gateways), "uses the remote gateway"),
                )
                .with_related(Label::new(
                    flag_span(q, &q.allow_gateway_transit),
                    format!("`{}` does not allow gateway transit", q.label),
                ))
                .with_note(
                    "Azure rejects the peering: it \"cannot have UseRemoteGateways flag set to \
                     true, because corresponding remote peering has AllowGatewayTransit flag \
                     set to false\".",
                )
                .with_help(if q.deployed {
                    // Deployed from code peerlint does not see: its syntax is not known.
                    format!(
                        "allow gateway transit on `{}` (the side with the gateway, deployed by \
                         other code) before this peering is applied",
                        q.label
                    )
                } else {
                    format!(
                        "set `{}` on `{}` (the side with the gateway)",
                        q.allow_gateway_transit.setting(true),
                        q.label
                    )
                }),
            );
        }
    }
}
