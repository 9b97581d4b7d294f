//! `gateway-transit-basic-sku`: gateway transit through a VPN gateway of the Basic SKU.

use super::{Level, Options, Rule, RuleMeta, flag_span};
use crate::diagnostic::{Diagnostic, Label};
use crate::ir::{Gateway, GatewayKind, Model, Peering, Value, VnetId};

pub(crate) struct GatewayTransitBasicSku;

static META: RuleMeta = RuleMeta {
    id: "gateway-transit-basic-sku",
    summary: "Gateway transit goes through a VPN gateway of the Basic SKU",
    default_level: Level::Error,
    doc: include_str!("../../docs/rules/gateway-transit-basic-sku.md"),
};

/// The Basic-SKU VPN gateway of a VNet, if it has one. (ExpressRoute gateways have SKUs
/// of their own; a Basic one would not deploy at all.)
fn basic(model: &Model, vnet: VnetId) -> Option<&Gateway> {
    model
        .vnet(vnet)
        .gateways
        .iter()
        .map(|&g| model.gateway(g))
        .filter(|g| g.kind != Value::Known(GatewayKind::ExpressRoute))
        .find(|g| {
            g.sku.as_ref().is_some_and(
                |s| matches!(&s.value, Value::Known(n) if n.eq_ignore_ascii_case("Basic")),
            )
        })
}

impl Rule for GatewayTransitBasicSku {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, model: &Model, _: &Options, out: &mut Vec<Diagnostic>) {
        for p in &model.peerings {
            // The hub side offers its gateway; the spoke side uses the remote one.
            let sides = [
                (
                    p.allow_gateway_transit.value.is_true(),
                    p.local.resolved,
                    &p.allow_gateway_transit,
                ),
                (
                    p.use_remote_gateways.value.is_true(),
                    p.remote.resolved,
                    &p.use_remote_gateways,
                ),
            ];
            for (set, vnet, flag) in sides {
                let Some(vnet) = vnet.filter(|_| set) else {
                    continue;
                };
                if let Some(gw) = basic(model, vnet) {
                    out.push(report(model, p, flag, vnet, gw));
                }
            }
        }
    }
}

fn report(
    model: &Model,
    p: &Peering,
    flag: &crate::ir::Flag,
    vnet: VnetId,
    gw: &Gateway,
) -> Diagnostic {
    let v = &model.vnet(vnet).label;
    let sku_span = gw.sku.as_ref().map_or(gw.origin, |s| s.span);
    Diagnostic::new(
        "gateway-transit-basic-sku",
        format!(
            "`{}` sets `{}` through the gateway `{}` of `{v}`, whose SKU is Basic",
            p.label, flag.name, gw.label
        ),
        Label::new(flag_span(p, flag), "gateway transit"),
    )
    .with_related(Label::new(
        sku_span,
        format!("`{}` is a Basic SKU gateway", gw.label),
    ))
    .with_note(
        "Azure: the transit option can be used with all VPN Gateway SKUs except the Basic \
         SKU. A Basic gateway supports no gateway transit, in one region or across.",
    )
    .with_help(format!(
        "move the gateway `{}` to a VpnGw SKU, or remove `{}`",
        gw.label,
        flag.setting(true)
    ))
}
