//! Lowering: from evaluated azurerm resources to the peering model.
//!
//! Reads the arguments peerlint understands, checks their types the way Terraform would
//! (reporting `invalid-value` where Terraform would reject them), and keeps the span of
//! every value it puts into the model. It judges nothing about peerings.

use super::eval::{Evaluator, Scope};
use super::module::{Mode, ResourceDecl};
use super::value::{Value, describe};
use crate::diagnostic::{Diagnostic, Label};
use crate::ir::{
    self, AddressSpace, DeploymentModel, Flag, Gateway, GatewayKind, Location, Model, Peering,
    Prefix, Span, Spanned, Subnet, Vnet, VnetId, VnetKey, VnetRef, token,
};
use crate::resource_id::ResourceId;
use crate::rules::input::INVALID_VALUE;
use hcl::edit::expr::Expression;
use hcl::edit::structure::{Attribute, Body};

/// Lowers every resource of the evaluator's module into `model`.
pub(crate) fn lower_module(ev: &Evaluator<'_, '_>, model: &mut Model, diags: &mut Vec<Diagnostic>) {
    for r in &ev.module.resources {
        if r.mode != Mode::Managed {
            continue;
        }
        let body = &r.decl.block.body;
        if body.has_attribute("count") || body.has_attribute("for_each") {
            // Instances are not expanded yet: lowering one would invent values.
            continue;
        }
        let mut cx = Cx {
            ev,
            r,
            scope: Scope::root(r.decl.file),
            label: r.address(),
            diags,
        };
        match r.ty {
            "azurerm_virtual_network" => lower_vnet(&mut cx, model),
            "azurerm_subnet" => lower_subnet(&mut cx, model),
            "azurerm_virtual_network_gateway" => lower_gateway(&mut cx, model),
            "azurerm_virtual_network_peering" => lower_peering(&mut cx, model),
            _ => {}
        }
    }
}

/// One resource instance being lowered.
struct Cx<'x, 'm, 'a> {
    ev: &'x Evaluator<'m, 'a>,
    r: &'x ResourceDecl<'a>,
    scope: Scope<'x>,
    label: String,
    diags: &'x mut Vec<Diagnostic>,
}

impl<'a> Cx<'_, '_, 'a> {
    fn file(&self) -> crate::source::FileId {
        self.scope.file
    }

    fn span(&self, node: &impl hcl::edit::Span) -> Span {
        Span::new(self.file(), node.span().unwrap_or(0..0))
    }

    fn header(&self) -> Span {
        self.r.decl.header_span()
    }

    /// Evaluates an argument of `body`; reports an evaluation failure at it.
    fn arg<'b>(&mut self, body: &'b Body, name: &str) -> Option<(&'b Attribute, Value)> {
        let attr = body.get_attribute(name)?;
        let v = self.ev.eval(&attr.value, self.scope);
        if let Some(err) = v.find_error() {
            let msg = format!("`{name}` of {} cannot be evaluated: {err}", self.label);
            self.invalid(attr, msg);
            return Some((attr, Value::Unknown));
        }
        Some((attr, v))
    }

    fn invalid(&mut self, attr: &Attribute, message: String) {
        let span = self.span(&attr.value);
        self.diags.push(
            Diagnostic::new(INVALID_VALUE, message, Label::new(span, "this value"))
                .with_note(
                    "Terraform rejects this value, so peerlint cannot check what depends on it.",
                )
                .with_help("fix the value; until then the peering rules ignore it"),
        );
    }

    fn type_error(&mut self, attr: &Attribute, expected: &str, found: &Value) {
        let msg = format!(
            "`{}` of {} expects {expected}, found {}",
            attr.key.as_str(),
            self.label,
            describe(found)
        );
        self.invalid(attr, msg);
    }

    /// A string argument. Strings with unknown parts are unknown.
    fn string(&mut self, body: &Body, name: &str) -> (ir::Value<String>, Option<Span>) {
        let Some((attr, v)) = self.arg(body, name) else {
            return (ir::Value::Unknown, None);
        };
        let span = Some(self.span(attr));
        match v.to_str() {
            Ok(Some(s)) if !token::is_opaque(&s) => (ir::Value::Known(s), span),
            Ok(_) => (ir::Value::Unknown, span),
            Err(_) if matches!(v, Value::Null) => (ir::Value::Unknown, span),
            Err(_) => {
                self.type_error(attr, "a string", &v);
                (ir::Value::Unknown, span)
            }
        }
    }

    /// A string argument that is a resource id: unknown parts are kept as markers, so
    /// that the id still names what it can.
    fn id_text(&mut self, name: &str) -> (Option<String>, Option<&'a Attribute>) {
        let Some((attr, v)) = self.arg(&self.r.decl.block.body, name) else {
            return (None, None);
        };
        match v.to_str() {
            Ok(s) => (s, Some(attr)),
            Err(_) if matches!(v, Value::Null) => (None, Some(attr)),
            Err(_) => {
                self.type_error(attr, "a resource id string", &v);
                (None, Some(attr))
            }
        }
    }

    /// A boolean argument with its provider default.
    fn flag(&mut self, name: &str, default: bool) -> Flag {
        let body = &self.r.decl.block.body;
        let Some((attr, v)) = self.arg(body, name) else {
            return Flag::default_value(default);
        };
        let span = Some(self.span(attr));
        let value = match v.to_bool() {
            Ok(Some(b)) => ir::Value::Known(b),
            Ok(None) => ir::Value::Unknown,
            Err(_) if matches!(v, Value::Null) => ir::Value::Known(default),
            Err(_) => {
                self.type_error(attr, "a bool", &v);
                ir::Value::Unknown
            }
        };
        Flag { value, span }
    }

    /// A list-of-strings argument, with the span of each element where the code writes
    /// the list literally. `None` when the argument is absent.
    #[expect(
        clippy::type_complexity,
        reason = "a private helper's plain return shape"
    )]
    fn string_list(
        &mut self,
        body: &Body,
        name: &str,
    ) -> Option<(Vec<(ir::Value<String>, Span)>, bool, Span)> {
        let (attr, v) = self.arg(body, name)?;
        let whole = self.span(attr);
        let items = match v {
            Value::List(items) => items,
            Value::Unknown | Value::Null => return Some((Vec::new(), false, whole)),
            other => {
                self.type_error(attr, "a list of strings", &other);
                return Some((Vec::new(), false, whole));
            }
        };
        let literal: Option<Vec<Span>> = match &attr.value {
            Expression::Array(a) if a.len() == items.len() => {
                Some(a.iter().map(|e| self.span(e)).collect())
            }
            _ => None,
        };
        let value_span = self.span(&attr.value);
        let mut complete = true;
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            let span = literal.as_ref().map_or(value_span, |s| s[i]);
            match item.to_str() {
                Ok(Some(s)) if !token::is_opaque(&s) => out.push((ir::Value::Known(s), span)),
                Ok(_) => {
                    complete = false;
                    out.push((ir::Value::Unknown, span));
                }
                Err(_) => {
                    complete = false;
                    self.type_error(attr, "a list of strings", &Value::List(items.clone()));
                    break;
                }
            }
        }
        Some((out, complete, whole))
    }

    /// Address prefixes from a list argument (or a single-string one, `single`).
    fn prefixes(&mut self, body: &Body, list: &str, single: Option<&str>) -> AddressSpace {
        if let Some((items, complete, _)) = self.string_list(body, list) {
            let mut space = AddressSpace {
                prefixes: Vec::new(),
                complete,
            };
            for (v, span) in items {
                match v {
                    ir::Value::Known(text) => space.prefixes.push(Prefix::new(&text, span)),
                    ir::Value::Unknown => space.complete = false,
                }
            }
            return space;
        }
        if let Some(single) = single {
            match self.string(body, single) {
                (ir::Value::Known(text), Some(span)) => {
                    return AddressSpace {
                        prefixes: vec![Prefix::new(&text, span)],
                        complete: true,
                    };
                }
                (_, Some(_)) => return AddressSpace::unknown(),
                _ => {}
            }
        }
        AddressSpace::unknown()
    }

    fn subscription(&self) -> ir::Subscription {
        token::subscription(&self.ev.subscription_of(self.r))
    }
}

fn lower_vnet(cx: &mut Cx<'_, '_, '_>, model: &mut Model) {
    let body = &cx.r.decl.block.body;
    let (name, _) = cx.string(body, "name");
    let (resource_group, _) = cx.string(body, "resource_group_name");
    let (location, location_span) = cx.string(body, "location");
    let address_space = cx.prefixes(body, "address_space", None);
    let id = VnetId(model.vnets.len() as u32);
    model.vnets.push(Vnet {
        label: cx.label.clone(),
        name,
        resource_group,
        subscription: cx.subscription(),
        location: Spanned {
            value: location.map(|l| Location::new(&l)),
            span: location_span.unwrap_or_else(|| cx.header()),
        },
        address_space,
        model: DeploymentModel::ResourceManager,
        origin: cx.header(),
        subnets: Vec::new(),
        gateways: Vec::new(),
    });
    for block in body.get_blocks("subnet") {
        let (name, _) = cx.string(&block.body, "name");
        let address_prefixes = cx.prefixes(&block.body, "address_prefixes", Some("address_prefix"));
        let origin = cx.span(&block.ident);
        let mut vnet = VnetRef::new(ir::Value::Unknown, origin);
        vnet.resolved = Some(id);
        model.subnets.push(Subnet {
            label: format!("{} (subnet block)", cx.label),
            name,
            vnet,
            address_prefixes,
            origin,
        });
    }
}

/// The VNet a resource names with `virtual_network_name` and `resource_group_name`.
fn vnet_by_name(cx: &mut Cx<'_, '_, '_>) -> VnetRef {
    let body = &cx.r.decl.block.body;
    let (name, span) = cx.string(body, "virtual_network_name");
    let (rg, _) = cx.string(body, "resource_group_name");
    let target = match (name, rg) {
        (ir::Value::Known(name), ir::Value::Known(resource_group)) => ir::Value::Known(VnetKey {
            subscription: cx.subscription(),
            resource_group,
            name,
            model: None,
        }),
        _ => ir::Value::Unknown,
    };
    VnetRef::new(target, span.unwrap_or_else(|| cx.header()))
}

fn lower_subnet(cx: &mut Cx<'_, '_, '_>, model: &mut Model) {
    let body = &cx.r.decl.block.body;
    let (name, _) = cx.string(body, "name");
    let vnet = vnet_by_name(cx);
    let address_prefixes = cx.prefixes(body, "address_prefixes", Some("address_prefix"));
    model.subnets.push(Subnet {
        label: cx.label.clone(),
        name,
        vnet,
        address_prefixes,
        origin: cx.header(),
    });
}

/// A VNet reference from an id argument; reports ids that cannot name a VNet.
fn vnet_by_id(cx: &mut Cx<'_, '_, '_>, name: &str, what: &str) -> VnetRef {
    let header = cx.header();
    let (text, attr) = cx.id_text(name);
    let span = attr.map_or(header, |a| cx.span(a));
    let Some(text) = text else {
        return VnetRef::new(ir::Value::Unknown, span);
    };
    match ResourceId::parse(&text).and_then(|id| id.vnet_key()) {
        Some(key) => VnetRef::new(ir::Value::Known(key), span),
        None => {
            if !token::is_opaque(&text)
                && let Some(attr) = attr
            {
                let msg = format!("`{name}` of {} is not {what}: \"{text}\"", cx.label);
                cx.invalid(attr, msg);
            }
            VnetRef::new(ir::Value::Unknown, span)
        }
    }
}

fn lower_gateway(cx: &mut Cx<'_, '_, '_>, model: &mut Model) {
    let body = &cx.r.decl.block.body;
    let (name, _) = cx.string(body, "name");
    let kind = match cx.string(body, "type").0 {
        ir::Value::Known(t) if t.eq_ignore_ascii_case("vpn") => ir::Value::Known(GatewayKind::Vpn),
        ir::Value::Known(t) if t.eq_ignore_ascii_case("expressroute") => {
            ir::Value::Known(GatewayKind::ExpressRoute)
        }
        _ => ir::Value::Unknown,
    };
    let sku = match cx.string(body, "sku") {
        (value, Some(span)) => Some(Spanned { value, span }),
        _ => None,
    };
    let mut vnet = VnetRef::new(ir::Value::Unknown, cx.header());
    for block in body.get_blocks("ip_configuration") {
        let Some((attr, v)) = cx.arg(&block.body, "subnet_id") else {
            continue;
        };
        let span = cx.span(attr);
        match v.to_str() {
            Ok(Some(text)) => {
                if let Some(key) = ResourceId::parse(&text).and_then(|id| id.vnet_key()) {
                    vnet = VnetRef::new(ir::Value::Known(key), span);
                    break;
                } else if !token::is_opaque(&text) {
                    let msg = format!("`subnet_id` of {} is not a subnet id: \"{text}\"", cx.label);
                    cx.invalid(attr, msg);
                }
            }
            Ok(None) => vnet.span = span,
            Err(_) if matches!(v, Value::Null) => {}
            Err(_) => cx.type_error(attr, "a subnet id string", &v),
        }
    }
    model.gateways.push(Gateway {
        label: cx.label.clone(),
        name,
        kind,
        sku,
        vnet,
        origin: cx.header(),
    });
}

fn lower_peering(cx: &mut Cx<'_, '_, '_>, model: &mut Model) {
    let body = &cx.r.decl.block.body;
    let (name, _) = cx.string(body, "name");
    let local = vnet_by_name(cx);
    let remote = vnet_by_id(cx, "remote_virtual_network_id", "a virtual network id");
    let names = |cx: &mut Cx<'_, '_, '_>, arg: &str| {
        cx.string_list(&cx.r.decl.block.body, arg)
            .map(|(items, complete, span)| {
                let known: Option<Vec<String>> =
                    items.into_iter().map(|(v, _)| v.known().cloned()).collect();
                Spanned {
                    value: match known {
                        Some(names) if complete => ir::Value::Known(names),
                        _ => ir::Value::Unknown,
                    },
                    span,
                }
            })
    };
    let local_subnet_names = names(cx, "local_subnet_names");
    let remote_subnet_names = names(cx, "remote_subnet_names");
    model.peerings.push(Peering {
        label: cx.label.clone(),
        name,
        local,
        remote,
        allow_virtual_network_access: cx.flag("allow_virtual_network_access", true),
        allow_forwarded_traffic: cx.flag("allow_forwarded_traffic", false),
        allow_gateway_transit: cx.flag("allow_gateway_transit", false),
        use_remote_gateways: cx.flag("use_remote_gateways", false),
        peer_complete_vnets: cx.flag("peer_complete_virtual_networks_enabled", true),
        local_subnet_names,
        remote_subnet_names,
        only_ipv6: cx.flag("only_ipv6_peering_enabled", false),
        origin: cx.header(),
    });
}
