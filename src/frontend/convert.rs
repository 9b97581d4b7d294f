//! From evaluated values to the model's types, the same way for every frontend: the type
//! checks Terraform and Azure make (reporting `invalid-value` where they would reject a
//! value), Azure's defaults for a peering's settings, and the builders of peerings and
//! gateways. Frontends hand over [`Field`]s: a value with its name and spans.

use crate::diagnostic::{Diagnostic, Label};
use crate::frontend::value::{Value, describe};
use crate::ir::{
    self, AddressSpace, Flag, Gateway, GatewayKind, Location, Model, Peering, Prefix, Span,
    Spanned, VnetRef, token,
};
use crate::resource_id::ResourceId;
use crate::rules::input::INVALID_VALUE;

/// A setting of a resource: its evaluated value and where it is written.
#[derive(Debug, Clone)]
pub(crate) struct Field {
    /// How messages name it: `address_space`, `properties.allowGatewayTransit`.
    pub name: String,
    pub value: Value,
    /// The whole setting (`name = value`, `"name": value`): where findings point.
    pub span: Span,
    /// The value alone: where `invalid-value` points.
    pub value_span: Span,
    /// For a list written out literally, the span of each element.
    pub element_spans: Option<Vec<Span>>,
    /// A failure to evaluate it was reported already: no type error on top.
    pub reported: bool,
}

/// One resource instance being lowered: how messages name it, where it is declared, and
/// where its diagnostics go.
pub(crate) struct Lowering<'d> {
    pub label: String,
    pub header: Span,
    pub diags: &'d mut Vec<Diagnostic>,
    /// The syntax the settings are written in.
    pub syntax: ir::Syntax,
}

/// A list of strings with spans (see [`Lowering::strings`]).
pub(crate) struct Strings {
    pub items: Vec<(ir::Value<String>, Span)>,
    pub complete: bool,
    pub span: Span,
}

impl Strings {
    /// The names, when all are known.
    pub(crate) fn names(self) -> Spanned<ir::Value<Vec<String>>> {
        let known: Option<Vec<String>> = self
            .items
            .into_iter()
            .map(|(v, _)| v.known().cloned())
            .collect();
        Spanned {
            value: match known {
                Some(names) if self.complete => ir::Value::Known(names),
                _ => ir::Value::Unknown,
            },
            span: self.span,
        }
    }
}

/// How a frontend spells the settings of a peering.
pub(crate) struct PeeringSpelling {
    pub access: &'static str,
    pub forwarded: &'static str,
    pub transit: &'static str,
    pub remote_gateways: &'static str,
    pub complete_vnets: &'static str,
    pub ipv6_only: &'static str,
    pub local_subnets: &'static str,
    pub remote_subnets: &'static str,
}

impl PeeringSpelling {
    /// Every setting's name.
    pub(crate) fn settings(&self) -> [&'static str; 8] {
        [
            self.access,
            self.forwarded,
            self.transit,
            self.remote_gateways,
            self.complete_vnets,
            self.ipv6_only,
            self.local_subnets,
            self.remote_subnets,
        ]
    }
}

/// The azurerm provider's spelling (Terraform code and plans).
pub(crate) const AZURERM_PEERING: PeeringSpelling = PeeringSpelling {
    access: "allow_virtual_network_access",
    forwarded: "allow_forwarded_traffic",
    transit: "allow_gateway_transit",
    remote_gateways: "use_remote_gateways",
    complete_vnets: "peer_complete_virtual_networks_enabled",
    ipv6_only: "only_ipv6_peering_enabled",
    local_subnets: "local_subnet_names",
    remote_subnets: "remote_subnet_names",
};

/// The REST API's spelling (ARM templates, azapi bodies).
pub(crate) const REST_PEERING: PeeringSpelling = PeeringSpelling {
    access: "allowVirtualNetworkAccess",
    forwarded: "allowForwardedTraffic",
    transit: "allowGatewayTransit",
    remote_gateways: "useRemoteGateways",
    complete_vnets: "peerCompleteVnets",
    ipv6_only: "enableOnlyIPv6Peering",
    local_subnets: "localSubnetNames",
    remote_subnets: "remoteSubnetNames",
};

impl Lowering<'_> {
    /// Reports a value Terraform or Azure would reject.
    pub(crate) fn invalid(&mut self, field: &Field, message: String) {
        self.diags.push(
            Diagnostic::new(
                INVALID_VALUE,
                message,
                Label::new(field.value_span, "this value"),
            )
            .with_note(
                "Terraform or Azure rejects this value, so peerlint cannot check what \
                     depends on it.",
            )
            .with_help("fix the value; until then the peering rules ignore it"),
        );
    }

    fn type_error(&mut self, field: &Field, expected: &str, found: &Value) {
        if field.reported {
            return;
        }
        let msg = format!(
            "`{}` of `{}` expects {expected}, found {}",
            field.name,
            self.label,
            describe(found)
        );
        self.invalid(field, msg);
    }

    /// A string. Strings with unknown or symbolic parts are unknown.
    pub(crate) fn string(&mut self, field: Option<Field>) -> (ir::Value<String>, Option<Span>) {
        let Some(field) = field else {
            return (ir::Value::Unknown, None);
        };
        let span = Some(field.span);
        match field.value.to_str() {
            Ok(Some(s)) if !token::is_opaque(&s) => (ir::Value::Known(s), span),
            Ok(_) => (ir::Value::Unknown, span),
            Err(_) if matches!(field.value, Value::Null) => (ir::Value::Unknown, span),
            Err(_) => {
                self.type_error(&field, "a string", &field.value);
                (ir::Value::Unknown, span)
            }
        }
    }

    /// A name or resource group that identifies a resource: known text, or text built from
    /// symbols. `None` when it cannot identify anything (absent, unknown, or of the wrong
    /// type, which is reported).
    pub(crate) fn identity(&mut self, field: &Field) -> Option<String> {
        match field.value.to_str() {
            Ok(Some(s)) if !token::has_unknown(&s) => Some(s),
            Ok(_) => None,
            Err(_) if matches!(field.value, Value::Null) => None,
            Err(_) => {
                self.type_error(field, "a string", &field.value);
                None
            }
        }
    }

    /// A string that is a resource id: unknown parts are kept as markers, so that the id
    /// still names what it can.
    pub(crate) fn id_text(&mut self, field: &Field) -> Option<String> {
        match field.value.to_str() {
            Ok(s) => s,
            Err(_) if matches!(field.value, Value::Null) => None,
            Err(_) => {
                self.type_error(field, "a resource id string", &field.value);
                None
            }
        }
    }

    /// A boolean named `name` (as the code spells it) with its default.
    pub(crate) fn flag(&mut self, name: &str, field: Option<Field>, default: bool) -> Flag {
        let Some(field) = field else {
            return Flag::default_value(name, default, self.syntax);
        };
        let value = match field.value.to_bool() {
            Ok(Some(b)) => ir::Value::Known(b),
            Ok(None) => ir::Value::Unknown,
            Err(_) if matches!(field.value, Value::Null) => ir::Value::Known(default),
            Err(_) => {
                self.type_error(&field, "a bool", &field.value);
                ir::Value::Unknown
            }
        };
        Flag {
            name: name.to_string(),
            value,
            span: Some(field.span),
            syntax: self.syntax,
        }
    }

    /// A list of strings, each with its span where the list is written literally. `None`
    /// when the setting is absent; `complete` is false when some elements (or the whole
    /// list) are unknown.
    pub(crate) fn strings(&mut self, field: Option<Field>) -> Option<Strings> {
        let field = field?;
        let items = match &field.value {
            Value::List(items) => items,
            Value::Unknown | Value::Symbol(_) | Value::Null => {
                return Some(Strings {
                    items: Vec::new(),
                    complete: false,
                    span: field.span,
                });
            }
            other => {
                self.type_error(&field, "a list of strings", other);
                return Some(Strings {
                    items: Vec::new(),
                    complete: false,
                    span: field.span,
                });
            }
        };
        let spans: Vec<Span> = match &field.element_spans {
            Some(spans) if spans.len() == items.len() => spans.clone(),
            _ => vec![field.value_span; items.len()],
        };
        let mut out = Strings {
            items: Vec::with_capacity(items.len()),
            complete: true,
            span: field.span,
        };
        for (item, span) in items.iter().zip(spans) {
            match item.to_str() {
                Ok(Some(s)) if !token::is_opaque(&s) => out.items.push((ir::Value::Known(s), span)),
                Ok(_) => {
                    out.complete = false;
                    out.items.push((ir::Value::Unknown, span));
                }
                Err(_) => {
                    out.complete = false;
                    self.type_error(&field, "a list of strings", &field.value);
                    break;
                }
            }
        }
        Some(out)
    }

    /// Address prefixes from a list (or, failing that, a single string).
    pub(crate) fn prefixes(&mut self, list: Option<Field>, single: Option<Field>) -> AddressSpace {
        let written = list.as_ref().or(single.as_ref()).map(|f| f.span);
        let mut space = if let Some(strings) = self.strings(list) {
            let mut space = AddressSpace {
                prefixes: Vec::new(),
                complete: strings.complete,
                span: written,
            };
            for (v, span) in strings.items {
                match v {
                    ir::Value::Known(text) => space.prefixes.push(Prefix::new(&text, span)),
                    ir::Value::Unknown => space.complete = false,
                }
            }
            space
        } else {
            match self.string(single) {
                (ir::Value::Known(text), Some(span)) => AddressSpace {
                    prefixes: vec![Prefix::new(&text, span)],
                    complete: true,
                    span: written,
                },
                _ => AddressSpace {
                    span: written,
                    ..AddressSpace::unknown()
                },
            }
        };
        // A prefix that is not CIDR stays, for `invalid-address-prefix` to report.
        // What is not CIDR is not known space.
        if space.prefixes.iter().any(|p| p.net.is_none()) {
            space.complete = false;
        }
        space
    }

    /// A reference to a VNet by its id (or the id of something inside it); reports a
    /// fully known string that is not such an id.
    pub(crate) fn vnet_ref(&mut self, field: Option<Field>, what: &str) -> VnetRef {
        let Some(field) = field else {
            return VnetRef::new(ir::Value::Unknown, self.header);
        };
        let Some(text) = self.id_text(&field) else {
            return VnetRef::new(ir::Value::Unknown, field.span);
        };
        match ResourceId::parse(&text).and_then(|id| id.vnet_key()) {
            Some(key) => VnetRef::new(ir::Value::Known(key), field.span),
            None => {
                if !token::is_opaque(&text) {
                    let msg = format!(
                        "`{}` of `{}` is not {what}: \"{text}\"",
                        field.name, self.label
                    );
                    self.invalid(&field, msg);
                }
                VnetRef::new(ir::Value::Unknown, field.span)
            }
        }
    }

    pub(crate) fn location(&mut self, field: Option<Field>) -> Spanned<ir::Value<Location>> {
        let (value, span) = self.string(field);
        Spanned {
            value: value.map(|l| Location::new(&l)),
            span: span.unwrap_or(self.header),
        }
    }

    /// Adds a peering: its settings read with `field` (by name, in the frontend's spelling),
    /// Azure's defaults for those left out.
    pub(crate) fn push_peering(
        &mut self,
        model: &mut Model,
        name: Option<Field>,
        local: VnetRef,
        remote: VnetRef,
        names: &PeeringSpelling,
        mut field: impl FnMut(&mut Self, &str) -> Option<Field>,
    ) {
        let (name, _) = self.string(name);
        let mut flag = |low: &mut Self, name: &str, default: bool| {
            let value = field(low, name);
            low.flag(name, value, default)
        };
        let allow_virtual_network_access = flag(self, names.access, true);
        let allow_forwarded_traffic = flag(self, names.forwarded, false);
        let allow_gateway_transit = flag(self, names.transit, false);
        let use_remote_gateways = flag(self, names.remote_gateways, false);
        let peer_complete_vnets = flag(self, names.complete_vnets, true);
        let only_ipv6 = flag(self, names.ipv6_only, false);
        let local_names = field(self, names.local_subnets);
        let local_subnet_names = self.strings(local_names).map(Strings::names);
        let remote_names = field(self, names.remote_subnets);
        let remote_subnet_names = self.strings(remote_names).map(Strings::names);
        model.peerings.push(Peering {
            label: self.label.clone(),
            name,
            local,
            remote,
            allow_virtual_network_access,
            allow_forwarded_traffic,
            allow_gateway_transit,
            use_remote_gateways,
            peer_complete_vnets,
            local_subnet_names,
            remote_subnet_names,
            only_ipv6,
            resync: false,
            deployed: false,
            exists: false,
            variant: None,
            renames_replace: false,
            origin: self.header,
        });
    }

    /// Adds a gateway: its kind (`Vpn`, `ExpressRoute`), its SKU, and its VNet from the
    /// first of its ip configurations' subnet ids that names one.
    pub(crate) fn push_gateway(
        &mut self,
        model: &mut Model,
        name: Option<Field>,
        kind: Option<Field>,
        sku: Option<Field>,
        subnets: Vec<Field>,
    ) {
        let (name, _) = self.string(name);
        let kind = match self.string(kind).0 {
            ir::Value::Known(t) if t.eq_ignore_ascii_case("vpn") => {
                ir::Value::Known(GatewayKind::Vpn)
            }
            ir::Value::Known(t) if t.eq_ignore_ascii_case("expressroute") => {
                ir::Value::Known(GatewayKind::ExpressRoute)
            }
            _ => ir::Value::Unknown,
        };
        let sku = match self.string(sku) {
            (value, Some(span)) => Some(Spanned { value, span }),
            _ => None,
        };
        let mut vnet = VnetRef::new(ir::Value::Unknown, self.header);
        for subnet in subnets {
            vnet = self.vnet_ref(Some(subnet), "a subnet id");
            if vnet.target.known().is_some() {
                break;
            }
        }
        model.gateways.push(Gateway {
            label: self.label.clone(),
            name,
            kind,
            sku,
            vnet,
            origin: self.header,
        });
    }
}
