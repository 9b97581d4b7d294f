//! `classic-gateway-transit`: gateway transit over a peering with a classic VNet.

use super::classic_to_classic::classic_evidence;
use super::{Level, Rule, RuleMeta, flag_span};
use crate::diagnostic::{Diagnostic, Label};
use crate::ir::Model;

pub(crate) struct ClassicGatewayTransit;

static META: RuleMeta = RuleMeta {
    id: "classic-gateway-transit",
    summary: "A peering with a classic VNet allows or uses gateway transit",
    default_level: Level::Error,
    doc: include_str!("../../docs/rules/classic-gateway-transit.md"),
};

impl Rule for ClassicGatewayTransit {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, model: &Model, _: &super::Options, out: &mut Vec<Diagnostic>) {
        for p in &model.peerings {
            let flag = if p.use_remote_gateways.value.is_true() {
                &p.use_remote_gateways
            } else if p.allow_gateway_transit.value.is_true() {
                &p.allow_gateway_transit
            } else {
                continue;
            };
            let classic = if model.is_classic(&p.remote).is_true() {
                &p.remote
            } else if model.is_classic(&p.local).is_true() {
                &p.local
            } else {
                continue;
            };
            let name = model.describe(classic);
            out.push(
                Diagnostic::new(
                    "classic-gateway-transit",
                    format!(
                        "`{}` sets `{}` on a peering with the classic VNet `{name}`",
                        p.label, flag.name
                    ),
                    Label::new(flag_span(p, flag), "gateway transit"),
                )
                .with_related(classic_evidence(model, classic, &name))
                .with_note(
                    "Azure's 2017 rule: gateway transit is not supported between VNets created \
                     through different deployment models. Today it works only when the hub and \
                     its gateway are Resource Manager; classic VPN gateways were retired in \
                     2024.",
                )
                .with_help(format!(
                    "remove `{}`, or migrate `{name}` to Resource Manager",
                    flag.setting(true)
                )),
            );
        }
    }
}
