//! Lowering: from evaluated resources to the peering model.
//!
//! Reads the arguments peerlint understands (azurerm attributes and blocks, the REST
//! properties in an azapi `body`), checks their types the way Terraform or Azure would
//! (reporting `invalid-value` where they would reject them), and keeps the span of every
//! value it puts into the model. It judges nothing about peerings.

use super::eval::Evaluator;
use super::module::{Mode, ResourceDecl};
use super::scope::{Key, Scope};
use crate::diagnostic::{Diagnostic, Label};
use crate::frontend::value::{Value, describe};
use crate::ir::{
    self, AddressSpace, DeploymentModel, Flag, Gateway, GatewayKind, Location, Model, Peering,
    Prefix, Span, Spanned, Subnet, Vnet, VnetId, VnetKey, VnetRef, token,
};
use crate::resource_id::ResourceId;
use crate::rules::input::INVALID_VALUE;
use hcl::edit::expr::{Expression, ObjectKey};
use hcl::edit::structure::Body;

/// Lowers every resource instance of the evaluator's module into `model`, then the
/// modules it calls, instance by instance.
pub(crate) fn lower_module(
    ev: &Evaluator<'_, '_, '_>,
    model: &mut Model,
    diags: &mut Vec<Diagnostic>,
) {
    for r in &ev.module.resources {
        let lower: fn(&mut Cx<'_, '_, '_, '_>, &mut Model) = match (r.mode, r.ty) {
            (Mode::Managed, "azurerm_virtual_network") => lower_vnet,
            (Mode::Managed, "azurerm_subnet") => lower_subnet,
            (Mode::Managed, "azurerm_virtual_network_gateway") => lower_gateway,
            (Mode::Managed, "azurerm_virtual_network_peering") => lower_peering,
            (Mode::Managed, "azapi_resource") => super::azapi::lower,
            (Mode::Data, "azurerm_virtual_network") => lower_data_vnet,
            _ => continue,
        };
        for (key, scope) in ev.resource_instances(r).each(r.decl.file) {
            let mut cx = Cx {
                ev,
                r,
                label: format!("{}{}{}", ev.path, r.address(), key.suffix()),
                key,
                scope,
                diags,
            };
            lower(&mut cx, model);
        }
    }
    for name in ev.call_names() {
        if let Some((_, children)) = ev.call(name).as_ref() {
            for child in children.values() {
                lower_module(child, model, diags);
            }
        }
    }
}

/// An argument: its evaluated value, and where it is written.
#[derive(Clone)]
pub(super) struct Arg<'e> {
    /// How messages name it: `address_space`, `body.properties.allowGatewayTransit`.
    pub name: String,
    pub value: Value,
    /// The whole `name = value`, where findings about the setting point.
    pub span: Span,
    /// The value's syntax, when it is known exactly (for element spans).
    pub expr: Option<&'e Expression>,
    /// A failure to evaluate it was reported already: no type error on top.
    pub reported: bool,
}

impl<'e> Arg<'e> {
    /// The member `key` of an object value, with its syntax when the code writes the
    /// object literally (also inside `jsonencode(…)`). `None` when the object does not
    /// have it; an unknown object gives an unknown member.
    pub(super) fn get(&self, key: &str, file: crate::source::FileId) -> Option<Arg<'e>> {
        let value = match &self.value {
            Value::Object(map) | Value::OpenObject(map) => map.get(key)?.clone(),
            Value::Unknown | Value::Symbol(_) => Value::Unknown,
            _ => return None,
        };
        let mut span = self.span;
        let mut expr = None;
        if let Some(Expression::Object(obj)) = self.expr.map(unwrap_jsonencode) {
            for (k, v) in obj.iter() {
                let name = match k {
                    ObjectKey::Ident(id) => Some(id.as_str()),
                    ObjectKey::Expression(Expression::String(s)) => Some(s.value().as_str()),
                    ObjectKey::Expression(Expression::Variable(v)) => Some(v.as_str()),
                    ObjectKey::Expression(_) => None,
                };
                if name == Some(key) {
                    let start = key_start(k).unwrap_or(span.start as usize);
                    let end = hcl::edit::Span::span(v.expr()).map_or(span.end as usize, |s| s.end);
                    span = Span::new(file, start..end);
                    expr = Some(v.expr());
                    break;
                }
            }
        }
        Some(Arg {
            name: format!("{}.{key}", self.name),
            value,
            span,
            expr,
            reported: self.reported,
        })
    }

    /// The elements of a list value, with their syntax when written literally.
    pub(super) fn items(&self, file: crate::source::FileId) -> Vec<Arg<'e>> {
        let Value::List(items) = &self.value else {
            return Vec::new();
        };
        let literal: Option<Vec<&'e Expression>> = match self.expr.map(unwrap_jsonencode) {
            Some(Expression::Array(a)) if a.len() == items.len() => Some(a.iter().collect()),
            _ => None,
        };
        items
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let expr = literal.as_ref().map(|l| l[i]);
                Arg {
                    name: format!("{}[{i}]", self.name),
                    value: v.clone(),
                    span: expr
                        .and_then(hcl::edit::Span::span)
                        .map_or(self.span, |s| Span::new(file, s)),
                    expr,
                    reported: self.reported,
                }
            })
            .collect()
    }

    /// Where the value itself is written.
    fn value_span(&self, file: crate::source::FileId) -> Span {
        self.expr
            .and_then(hcl::edit::Span::span)
            .map_or(self.span, |s| Span::new(file, s))
    }
}

fn key_start(k: &ObjectKey) -> Option<usize> {
    match k {
        ObjectKey::Ident(id) => hcl::edit::Span::span(id).map(|s| s.start),
        ObjectKey::Expression(e) => hcl::edit::Span::span(e).map(|s| s.start),
    }
}

/// `jsonencode(x)` is `x` for the purpose of finding spans.
fn unwrap_jsonencode(e: &Expression) -> &Expression {
    match e {
        Expression::FuncCall(f) if f.name.name.as_str() == "jsonencode" && f.args.len() == 1 => {
            f.args.iter().next().map_or(e, unwrap_jsonencode)
        }
        Expression::Parenthesis(p) => unwrap_jsonencode(p.inner()),
        other => other,
    }
}

/// One resource instance being lowered.
pub(super) struct Cx<'x, 's, 'm, 'a> {
    pub ev: &'x Evaluator<'s, 'm, 'a>,
    pub r: &'x ResourceDecl<'a>,
    pub key: Key,
    /// Where the instance's arguments are evaluated (`each`, `count` bound); inside a
    /// `dynamic` block, its iterator too.
    pub scope: Scope,
    pub label: String,
    pub diags: &'x mut Vec<Diagnostic>,
}

impl<'a> Cx<'_, '_, '_, 'a> {
    pub(super) fn file(&self) -> crate::source::FileId {
        self.scope.file
    }

    fn span(&self, node: &impl hcl::edit::Span) -> Span {
        Span::new(self.file(), node.span().unwrap_or(0..0))
    }

    pub(super) fn header(&self) -> Span {
        self.r.decl.header_span()
    }

    /// The resource's own body.
    pub(super) fn body(&self) -> &'a Body {
        &self.r.decl.block.body
    }

    /// Evaluates the argument `name` of `body`. A failure to evaluate is reported at the
    /// argument, and the failed parts become unknown.
    pub(super) fn attr<'e>(&mut self, body: &'e Body, name: &str) -> Option<Arg<'e>> {
        self.attr_in(body, "", name)
    }

    /// [`Cx::attr`] for an argument of a nested block (`block` names it in messages).
    pub(super) fn attr_in<'e>(
        &mut self,
        body: &'e Body,
        block: &str,
        name: &str,
    ) -> Option<Arg<'e>> {
        let attr = body.get_attribute(name)?;
        let name = &if block.is_empty() {
            name.to_string()
        } else {
            format!("{block}.{name}")
        };
        let mut value = self.ev.eval(&attr.value, &self.scope);
        let mut arg = Arg {
            name: name.to_string(),
            value: Value::Unknown,
            span: self.span(attr),
            expr: Some(&attr.value),
            reported: false,
        };
        if let Some(err) = value.find_error() {
            let msg = format!("`{name}` of `{}` cannot be evaluated: {err}", self.label);
            self.invalid(&arg, msg);
            value = value.errors_as_unknown();
            arg.reported = true;
        }
        Some(Arg { value, ..arg })
    }

    fn invalid(&mut self, arg: &Arg<'_>, message: String) {
        let span = arg.value_span(self.file());
        self.diags.push(
            Diagnostic::new(INVALID_VALUE, message, Label::new(span, "this value"))
                .with_note(
                    "Terraform or Azure rejects this value, so peerlint cannot check what \
                     depends on it.",
                )
                .with_help("fix the value; until then the peering rules ignore it"),
        );
    }

    fn type_error(&mut self, arg: &Arg<'_>, expected: &str, found: &Value) {
        if arg.reported {
            return;
        }
        let msg = format!(
            "`{}` of `{}` expects {expected}, found {}",
            arg.name,
            self.label,
            describe(found)
        );
        self.invalid(arg, msg);
    }

    /// A string. Strings with unknown parts are unknown.
    pub(super) fn string(&mut self, arg: Option<Arg<'_>>) -> (ir::Value<String>, Option<Span>) {
        let Some(arg) = arg else {
            return (ir::Value::Unknown, None);
        };
        let span = Some(arg.span);
        match arg.value.to_str() {
            Ok(Some(s)) if !token::is_opaque(&s) => (ir::Value::Known(s), span),
            Ok(_) => (ir::Value::Unknown, span),
            Err(_) if matches!(arg.value, Value::Null) => (ir::Value::Unknown, span),
            Err(_) => {
                self.type_error(&arg, "a string", &arg.value);
                (ir::Value::Unknown, span)
            }
        }
    }

    /// A name or resource group that identifies a resource: known text, or text built from
    /// symbols (a random suffix, a variable given at plan time). For an argument of the
    /// resource itself (`own`), an unknown value is that argument's symbol, the same one
    /// that references to it see.
    pub(super) fn identity(
        &mut self,
        arg: Option<Arg<'_>>,
        own: Option<&str>,
    ) -> (ir::Value<String>, Option<Span>) {
        let Some(arg) = arg else {
            return (ir::Value::Unknown, None);
        };
        let span = Some(arg.span);
        match arg.value.to_str() {
            Ok(Some(s)) if !token::has_unknown(&s) => return (ir::Value::Known(s), span),
            Ok(_) => {}
            Err(_) if matches!(arg.value, Value::Null) => return (ir::Value::Unknown, span),
            Err(_) => {
                self.type_error(&arg, "a string", &arg.value);
                return (ir::Value::Unknown, span);
            }
        }
        match own.map(|name| self.ev.resource_attr(self.r, &self.key, name).to_str()) {
            Some(Ok(Some(s))) if !token::has_unknown(&s) => (ir::Value::Known(s), span),
            _ => (ir::Value::Unknown, span),
        }
    }

    /// A string that is a resource id: unknown parts are kept as markers, so that the id
    /// still names what it can.
    pub(super) fn id_text(&mut self, arg: &Arg<'_>) -> Option<String> {
        match arg.value.to_str() {
            Ok(s) => s,
            Err(_) if matches!(arg.value, Value::Null) => None,
            Err(_) => {
                self.type_error(arg, "a resource id string", &arg.value);
                None
            }
        }
    }

    /// A boolean named `name` (as the code spells it) with its default.
    pub(super) fn flag(&mut self, name: &str, arg: Option<Arg<'_>>, default: bool) -> Flag {
        let Some(arg) = arg else {
            return Flag::default_value(name, default);
        };
        let value = match arg.value.to_bool() {
            Ok(Some(b)) => ir::Value::Known(b),
            Ok(None) => ir::Value::Unknown,
            Err(_) if matches!(arg.value, Value::Null) => ir::Value::Known(default),
            Err(_) => {
                self.type_error(&arg, "a bool", &arg.value);
                ir::Value::Unknown
            }
        };
        Flag {
            name: name.to_string(),
            value,
            span: Some(arg.span),
        }
    }

    /// A list of strings, each with its span where the code writes the list literally.
    /// `None` when the argument is absent; `complete` is false when some elements (or the
    /// whole list) are unknown.
    pub(super) fn strings(&mut self, arg: Option<Arg<'_>>) -> Option<Strings> {
        let arg = arg?;
        let items = match &arg.value {
            Value::List(_) => arg.items(self.file()),
            Value::Unknown | Value::Symbol(_) | Value::Null => {
                return Some(Strings {
                    items: Vec::new(),
                    complete: false,
                    span: arg.span,
                });
            }
            other => {
                self.type_error(&arg, "a list of strings", other);
                return Some(Strings {
                    items: Vec::new(),
                    complete: false,
                    span: arg.span,
                });
            }
        };
        let mut out = Strings {
            items: Vec::with_capacity(items.len()),
            complete: true,
            span: arg.span,
        };
        for item in items {
            match item.value.to_str() {
                Ok(Some(s)) if !token::is_opaque(&s) => {
                    out.items.push((ir::Value::Known(s), item.span))
                }
                Ok(_) => {
                    out.complete = false;
                    out.items.push((ir::Value::Unknown, item.span));
                }
                Err(_) => {
                    out.complete = false;
                    self.type_error(&arg, "a list of strings", &arg.value);
                    break;
                }
            }
        }
        Some(out)
    }

    /// Address prefixes from a list (or, failing that, a single string).
    pub(super) fn prefixes(
        &mut self,
        list: Option<Arg<'_>>,
        single: Option<Arg<'_>>,
    ) -> AddressSpace {
        if let Some(strings) = self.strings(list) {
            let mut space = AddressSpace {
                prefixes: Vec::new(),
                complete: strings.complete,
            };
            for (v, span) in strings.items {
                match v {
                    ir::Value::Known(text) => space.prefixes.push(Prefix::new(&text, span)),
                    ir::Value::Unknown => space.complete = false,
                }
            }
            return space;
        }
        match self.string(single) {
            (ir::Value::Known(text), Some(span)) => AddressSpace {
                prefixes: vec![Prefix::new(&text, span)],
                complete: true,
            },
            _ => AddressSpace::unknown(),
        }
    }

    /// A reference to a VNet by its id (or the id of something inside it); reports a
    /// fully known string that is not such an id.
    pub(super) fn vnet_ref(&mut self, arg: Option<Arg<'_>>, what: &str) -> VnetRef {
        let Some(arg) = arg else {
            return VnetRef::new(ir::Value::Unknown, self.header());
        };
        let Some(text) = self.id_text(&arg) else {
            return VnetRef::new(ir::Value::Unknown, arg.span);
        };
        match ResourceId::parse(&text).and_then(|id| id.vnet_key()) {
            Some(key) => VnetRef::new(ir::Value::Known(key), arg.span),
            None => {
                if !token::is_opaque(&text) {
                    let msg = format!(
                        "`{}` of `{}` is not {what}: \"{text}\"",
                        arg.name, self.label
                    );
                    self.invalid(&arg, msg);
                }
                VnetRef::new(ir::Value::Unknown, arg.span)
            }
        }
    }

    pub(super) fn location(&mut self, arg: Option<Arg<'_>>) -> Spanned<ir::Value<Location>> {
        let (value, span) = self.string(arg);
        Spanned {
            value: value.map(|l| Location::new(&l)),
            span: span.unwrap_or_else(|| self.header()),
        }
    }

    /// The subscription of the resource's azurerm provider configuration.
    fn subscription(&self) -> ir::Subscription {
        token::subscription(&self.ev.subscription_of(self.r))
    }
}

/// A list of strings with spans (see [`Cx::strings`]).
pub(super) struct Strings {
    pub items: Vec<(ir::Value<String>, Span)>,
    pub complete: bool,
    pub span: Span,
}

impl Strings {
    /// The names, when all are known.
    pub(super) fn names(self) -> Spanned<ir::Value<Vec<String>>> {
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

fn lower_vnet(cx: &mut Cx<'_, '_, '_, '_>, model: &mut Model) {
    let body = cx.body();
    let name = cx.attr(body, "name");
    let (name, _) = cx.identity(name, Some("name"));
    let rg = cx.attr(body, "resource_group_name");
    let (resource_group, _) = cx.identity(rg, Some("resource_group_name"));
    let location = cx.attr(body, "location");
    let location = cx.location(location);
    let space = cx.attr(body, "address_space");
    let address_space = cx.prefixes(space, None);
    let id = VnetId(model.vnets.len() as u32);
    model.vnets.push(Vnet {
        label: cx.label.clone(),
        name,
        resource_group,
        subscription: cx.subscription(),
        location,
        address_space,
        model: DeploymentModel::ResourceManager,
        existing: false,
        origin: cx.header(),
        subnets: Vec::new(),
        gateways: Vec::new(),
    });
    let (blocks, _) = cx.ev.blocks(body, "subnet", &cx.scope);
    for (block, scope) in blocks {
        let outer = std::mem::replace(&mut cx.scope, scope);
        let name = cx.attr_in(block, "subnet", "name");
        let (name, name_span) = cx.identity(name, None);
        let list = cx.attr_in(block, "subnet", "address_prefixes");
        let single = cx.attr_in(block, "subnet", "address_prefix");
        let address_prefixes = cx.prefixes(list, single);
        cx.scope = outer;
        let origin = name_span.unwrap_or_else(|| cx.header());
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

/// A `data "azurerm_virtual_network"`: a VNet declared elsewhere, of which the code knows
/// the identity only.
fn lower_data_vnet(cx: &mut Cx<'_, '_, '_, '_>, model: &mut Model) {
    let body = cx.body();
    let name = cx.attr(body, "name");
    let (name, _) = cx.identity(name, Some("name"));
    let rg = cx.attr(body, "resource_group_name");
    let (resource_group, _) = cx.identity(rg, Some("resource_group_name"));
    model.vnets.push(Vnet {
        label: cx.label.clone(),
        name,
        resource_group,
        subscription: cx.subscription(),
        location: Spanned {
            value: ir::Value::Unknown,
            span: cx.header(),
        },
        address_space: AddressSpace::unknown(),
        model: DeploymentModel::ResourceManager,
        existing: true,
        origin: cx.header(),
        subnets: Vec::new(),
        gateways: Vec::new(),
    });
}

/// The VNet a resource names with `virtual_network_name` and `resource_group_name`.
fn vnet_by_name(cx: &mut Cx<'_, '_, '_, '_>) -> VnetRef {
    let body = cx.body();
    let name = cx.attr(body, "virtual_network_name");
    let (name, span) = cx.identity(name, Some("virtual_network_name"));
    let rg = cx.attr(body, "resource_group_name");
    let (rg, _) = cx.identity(rg, Some("resource_group_name"));
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

fn lower_subnet(cx: &mut Cx<'_, '_, '_, '_>, model: &mut Model) {
    let body = cx.body();
    let name = cx.attr(body, "name");
    let (name, _) = cx.identity(name, Some("name"));
    let vnet = vnet_by_name(cx);
    let list = cx.attr(body, "address_prefixes");
    let single = cx.attr(body, "address_prefix");
    let address_prefixes = cx.prefixes(list, single);
    model.subnets.push(Subnet {
        label: cx.label.clone(),
        name,
        vnet,
        address_prefixes,
        origin: cx.header(),
    });
}

fn lower_gateway(cx: &mut Cx<'_, '_, '_, '_>, model: &mut Model) {
    let body = cx.body();
    let kind = cx.attr(body, "type");
    let sku = cx.attr(body, "sku");
    let mut subnets = Vec::new();
    let (blocks, _) = cx.ev.blocks(body, "ip_configuration", &cx.scope);
    for (block, scope) in blocks {
        let outer = std::mem::replace(&mut cx.scope, scope);
        subnets.extend(cx.attr_in(block, "ip_configuration", "subnet_id"));
        cx.scope = outer;
    }
    push_gateway(cx, model, kind, sku, subnets);
}

/// Adds the gateway `cx` declares: its kind (`Vpn`, `ExpressRoute`), its SKU, and its VNet
/// from the first of its ip configurations' subnet ids that names one.
pub(super) fn push_gateway(
    cx: &mut Cx<'_, '_, '_, '_>,
    model: &mut Model,
    kind: Option<Arg<'_>>,
    sku: Option<Arg<'_>>,
    subnets: Vec<Arg<'_>>,
) {
    let body = cx.body();
    let name = cx.attr(body, "name");
    let (name, _) = cx.string(name);
    let kind = match cx.string(kind).0 {
        ir::Value::Known(t) if t.eq_ignore_ascii_case("vpn") => ir::Value::Known(GatewayKind::Vpn),
        ir::Value::Known(t) if t.eq_ignore_ascii_case("expressroute") => {
            ir::Value::Known(GatewayKind::ExpressRoute)
        }
        _ => ir::Value::Unknown,
    };
    let sku = match cx.string(sku) {
        (value, Some(span)) => Some(Spanned { value, span }),
        _ => None,
    };
    let mut vnet = VnetRef::new(ir::Value::Unknown, cx.header());
    for subnet in subnets {
        vnet = cx.vnet_ref(Some(subnet), "a subnet id");
        if vnet.target.known().is_some() {
            break;
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

fn lower_peering(cx: &mut Cx<'_, '_, '_, '_>, model: &mut Model) {
    let body = cx.body();
    let local = vnet_by_name(cx);
    let remote = cx.attr(body, "remote_virtual_network_id");
    let remote = cx.vnet_ref(remote, "a virtual network id");
    push_peering(cx, model, local, remote, &AZURERM_PEERING, |cx, name| {
        cx.attr(body, name)
    });
}

/// How a frontend spells the settings of a peering.
pub(super) struct PeeringSpelling {
    pub access: &'static str,
    pub forwarded: &'static str,
    pub transit: &'static str,
    pub remote_gateways: &'static str,
    pub complete_vnets: &'static str,
    pub ipv6_only: &'static str,
    pub local_subnets: &'static str,
    pub remote_subnets: &'static str,
}

const AZURERM_PEERING: PeeringSpelling = PeeringSpelling {
    access: "allow_virtual_network_access",
    forwarded: "allow_forwarded_traffic",
    transit: "allow_gateway_transit",
    remote_gateways: "use_remote_gateways",
    complete_vnets: "peer_complete_virtual_networks_enabled",
    ipv6_only: "only_ipv6_peering_enabled",
    local_subnets: "local_subnet_names",
    remote_subnets: "remote_subnet_names",
};

/// Adds the peering `cx` declares, reading its settings with `arg` (by name, in the
/// frontend's spelling) and applying Azure's defaults to those it leaves out.
pub(super) fn push_peering<'e>(
    cx: &mut Cx<'_, '_, '_, '_>,
    model: &mut Model,
    local: VnetRef,
    remote: VnetRef,
    names: &PeeringSpelling,
    mut arg: impl FnMut(&mut Cx<'_, '_, '_, '_>, &str) -> Option<Arg<'e>>,
) {
    let body = cx.body();
    let name = cx.attr(body, "name");
    let (name, _) = cx.string(name);
    let mut flag = |cx: &mut Cx<'_, '_, '_, '_>, name: &str, default: bool| {
        let value = arg(cx, name);
        cx.flag(name, value, default)
    };
    let allow_virtual_network_access = flag(cx, names.access, true);
    let allow_forwarded_traffic = flag(cx, names.forwarded, false);
    let allow_gateway_transit = flag(cx, names.transit, false);
    let use_remote_gateways = flag(cx, names.remote_gateways, false);
    let peer_complete_vnets = flag(cx, names.complete_vnets, true);
    let only_ipv6 = flag(cx, names.ipv6_only, false);
    let local_names = arg(cx, names.local_subnets);
    let local_subnet_names = cx.strings(local_names).map(Strings::names);
    let remote_names = arg(cx, names.remote_subnets);
    let remote_subnet_names = cx.strings(remote_names).map(Strings::names);
    model.peerings.push(Peering {
        label: cx.label.clone(),
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
        origin: cx.header(),
    });
}
