//! Lowering: from evaluated resources to the peering model.
//!
//! Reads the arguments peerlint understands (azurerm attributes and blocks, the REST
//! properties in an azapi `body`), checks their types the way Terraform or Azure would
//! (reporting `invalid-value` where they would reject them), and keeps the span of every
//! value it puts into the model. It judges nothing about peerings.

use super::eval::Evaluator;
use super::module::{Mode, ResourceDecl};
use super::scope::{Key, Scope};
use crate::diagnostic::Diagnostic;
use crate::frontend::convert::{AZURERM_PEERING, Field, Lowering};
use crate::frontend::value::Value;
use crate::ir::{
    self, AddressSpace, DeploymentModel, Location, Model, Span, Spanned, Subnet, Vnet, VnetId,
    VnetKey, VnetRef, token,
};
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
        if (r.mode, r.ty) == (Mode::Managed, "azurerm_virtual_network_gateway") {
            model.gateways_declared = true;
        }
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
                key: key.clone(),
                scope,
                low: Lowering {
                    label: format!("{}{}{}", ev.path, r.address(), key.suffix()),
                    header: r.decl.header_span(),
                    diags,
                    syntax: crate::ir::Syntax::Hcl,
                },
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

    /// The argument as the conversions to the model's types take it.
    pub(super) fn field(&self, file: crate::source::FileId) -> Field {
        let element_spans = match &self.value {
            Value::List(_) => Some(self.items(file).into_iter().map(|i| i.span).collect()),
            _ => None,
        };
        Field {
            name: self.name.clone(),
            value: self.value.clone(),
            span: self.span,
            value_span: self.value_span(file),
            element_spans,
            reported: self.reported,
        }
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
    /// Its label, header and diagnostics, and the conversions to the model's types.
    pub low: Lowering<'x>,
}

impl<'a> Cx<'_, '_, '_, 'a> {
    pub(super) fn file(&self) -> crate::source::FileId {
        self.scope.file
    }

    fn span(&self, node: &impl hcl::edit::Span) -> Span {
        Span::new(self.file(), node.span().unwrap_or(0..0))
    }

    pub(super) fn header(&self) -> Span {
        self.low.header
    }

    pub(super) fn label(&self) -> &str {
        &self.low.label
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
            let msg = format!("`{name}` of `{}` cannot be evaluated: {err}", self.label());
            let field = arg.field(self.file());
            self.low.invalid(&field, msg);
            value = value.errors_as_unknown();
            arg.reported = true;
        }
        Some(Arg { value, ..arg })
    }

    fn fields(&self, arg: Option<Arg<'_>>) -> Option<Field> {
        arg.map(|a| a.field(self.file()))
    }

    pub(super) fn string(&mut self, arg: Option<Arg<'_>>) -> (ir::Value<String>, Option<Span>) {
        let field = self.fields(arg);
        self.low.string(field)
    }

    /// A name or resource group that identifies a resource (see [`Lowering::identity`]).
    /// For an argument of the resource itself (`own`), an unknown value is that argument's
    /// symbol, the same one that references to it see.
    pub(super) fn identity(
        &mut self,
        arg: Option<Arg<'_>>,
        own: Option<&str>,
    ) -> (ir::Value<String>, Option<Span>) {
        let Some(field) = self.fields(arg) else {
            return (ir::Value::Unknown, None);
        };
        let span = Some(field.span);
        if let Some(s) = self.low.identity(&field) {
            return (ir::Value::Known(s), span);
        }
        if !matches!(
            field.value,
            Value::Unknown | Value::Symbol(_) | Value::String(_)
        ) {
            return (ir::Value::Unknown, span);
        }
        match own.map(|name| self.ev.resource_attr(self.r, &self.key, name).to_str()) {
            Some(Ok(Some(s))) if !token::has_unknown(&s) => (ir::Value::Known(s), span),
            _ => (ir::Value::Unknown, span),
        }
    }

    pub(super) fn id_text(&mut self, arg: &Arg<'_>) -> Option<String> {
        let field = arg.field(self.file());
        self.low.id_text(&field)
    }

    pub(super) fn prefixes(
        &mut self,
        list: Option<Arg<'_>>,
        single: Option<Arg<'_>>,
    ) -> AddressSpace {
        let (list, single) = (self.fields(list), self.fields(single));
        self.low.prefixes(list, single)
    }

    pub(super) fn vnet_ref(&mut self, arg: Option<Arg<'_>>, what: &str) -> VnetRef {
        let field = self.fields(arg);
        self.low.vnet_ref(field, what)
    }

    pub(super) fn location(&mut self, arg: Option<Arg<'_>>) -> Spanned<ir::Value<Location>> {
        let field = self.fields(arg);
        self.low.location(field)
    }

    /// The subscription of the resource's azurerm provider configuration.
    fn subscription(&self) -> ir::Subscription {
        token::subscription(&self.ev.subscription_of(self.r))
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
        label: cx.label().to_string(),
        name,
        resource_group,
        subscription: cx.subscription(),
        location,
        address_space,
        model: DeploymentModel::ResourceManager,
        existing: false,
        origin: cx.header(),
        address_change: None,
        deployed: false,
        subnets: Vec::new(),
        gateways: Vec::new(),
        gateways_unknown: false,
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
            label: ir::Subnet::inline_label(cx.label(), &name),
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
        label: cx.label().to_string(),
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
        address_change: None,
        deployed: false,
        subnets: Vec::new(),
        gateways: Vec::new(),
        gateways_unknown: false,
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
        label: cx.label().to_string(),
        name,
        vnet,
        address_prefixes,
        origin: cx.header(),
    });
}

fn lower_gateway(cx: &mut Cx<'_, '_, '_, '_>, model: &mut Model) {
    let body = cx.body();
    let name = cx.attr(body, "name");
    let kind = cx.attr(body, "type");
    let sku = cx.attr(body, "sku");
    let mut subnets = Vec::new();
    let (blocks, _) = cx.ev.blocks(body, "ip_configuration", &cx.scope);
    for (block, scope) in blocks {
        let outer = std::mem::replace(&mut cx.scope, scope);
        subnets.extend(cx.attr_in(block, "ip_configuration", "subnet_id"));
        cx.scope = outer;
    }
    let file = cx.file();
    let (name, kind, sku) = (cx.fields(name), cx.fields(kind), cx.fields(sku));
    let subnets = subnets.into_iter().map(|a| a.field(file)).collect();
    cx.low.push_gateway(model, name, kind, sku, subnets);
}

fn lower_peering(cx: &mut Cx<'_, '_, '_, '_>, model: &mut Model) {
    let body = cx.body();
    let name = cx.attr(body, "name");
    let local = vnet_by_name(cx);
    let remote = cx.attr(body, "remote_virtual_network_id");
    let remote = cx.vnet_ref(remote, "a virtual network id");
    let name = cx.fields(name);
    // The settings are evaluated first (reporting what fails), then converted.
    let mut settings: Vec<(&str, Field)> = Vec::new();
    for n in [
        AZURERM_PEERING.access,
        AZURERM_PEERING.forwarded,
        AZURERM_PEERING.transit,
        AZURERM_PEERING.remote_gateways,
        AZURERM_PEERING.complete_vnets,
        AZURERM_PEERING.ipv6_only,
        AZURERM_PEERING.local_subnets,
        AZURERM_PEERING.remote_subnets,
    ] {
        if let Some(arg) = cx.attr(body, n) {
            settings.push((n, arg.field(cx.file())));
        }
    }
    cx.low
        .push_peering(model, name, local, remote, &AZURERM_PEERING, |_, n| {
            settings
                .iter()
                .find(|(k, _)| *k == n)
                .map(|(_, f)| f.clone())
        });
    // `triggers` built from an address space: azurerm re-syncs the peering when it changes.
    let resync = body
        .get_attribute("triggers")
        .is_some_and(|t| t.value.to_string().contains("address_space"));
    if let Some(p) = model.peerings.last_mut() {
        p.resync = resync;
        p.renames_replace = true;
    }
}
