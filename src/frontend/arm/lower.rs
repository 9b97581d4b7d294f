//! Lowering the resources of a deployment into the model: VNets (Resource Manager and
//! classic), subnets, gateways and peerings, declared at top level, as child resources, or
//! inline in a VNet; nested deployments are followed.

use super::eval::{Copies, Deployment, Ev, Session, as_text, property};
use crate::frontend::convert::{Field, Lowering, REST_PEERING};
use crate::frontend::json::{Json, Node};
use crate::frontend::value::Value;
use crate::ir::{
    self, AddressSpace, DeploymentModel, Model, Span, Spanned, Subnet, Vnet, VnetId, VnetKey,
    VnetRef, token,
};
use crate::source::FileId;

/// A property of a resource: its evaluated value, and its JSON when the template writes
/// it out (for spans).
#[derive(Clone)]
pub(super) struct Prop<'n> {
    name: String,
    value: Value,
    node: Option<&'n Node>,
    span: Span,
    /// For a list made by a property `copy` loop: the `input` every element comes from.
    input: Option<&'n Node>,
}

impl<'n> Prop<'n> {
    fn get(&self, key: &str, file: FileId, session: &Session<'_>) -> Option<Prop<'n>> {
        let value = match &self.value {
            Value::Object(m) | Value::OpenObject(m) => super::functions::get_ci(m, key)?.clone(),
            Value::Unknown => Value::Unknown,
            v @ Value::Symbol(_) => property(&session.symbols, v.clone(), key),
            _ => return None,
        };
        let member = self.node.and_then(|n| n.member(key));
        // A list a property `copy` loop makes: `"copy": [{ "name": key, "input": … }]`.
        let copy = match member {
            Some(_) => None,
            None => self.node.and_then(|n| n.get("copy")).and_then(|c| {
                c.items().iter().find(|entry| {
                    entry
                        .get("name")
                        .and_then(Node::as_str)
                        .is_some_and(|n| n.eq_ignore_ascii_case(key))
                })
            }),
        };
        Some(Prop {
            name: format!("{}.{key}", self.name),
            value,
            node: member.map(|m| &m.value),
            span: match (member, copy) {
                (Some(m), _) => Span::new(file, m.name_span.start..m.value.span.end),
                (None, Some(entry)) => Span::new(file, entry.span.clone()),
                (None, None) => self.span,
            },
            input: copy.and_then(|entry| entry.get("input")),
        })
    }

    fn items(&self, file: FileId) -> Vec<Prop<'n>> {
        let Value::List(items) = &self.value else {
            return Vec::new();
        };
        let literal = match self.node.map(|n| &n.kind) {
            Some(Json::Array(nodes)) if nodes.len() == items.len() => Some(nodes),
            _ => None,
        };
        items
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let node = literal.map(|l| &l[i]).or(self.input);
                Prop {
                    name: format!("{}[{i}]", self.name),
                    value: v.clone(),
                    node,
                    span: node.map_or(self.span, |n| Span::new(file, n.span.clone())),
                    input: None,
                }
            })
            .collect()
    }

    /// The property as the conversions take it; a failure to evaluate is reported.
    fn field(self, file: FileId, low: &mut Lowering<'_>) -> Field {
        let value_span = self
            .node
            .map_or(self.span, |n| Span::new(file, n.span.clone()));
        let element_spans = match (&self.value, self.node.map(|n| &n.kind), self.input) {
            (Value::List(items), Some(Json::Array(nodes)), _) if nodes.len() == items.len() => {
                Some(
                    nodes
                        .iter()
                        .map(|n| Span::new(file, n.span.clone()))
                        .collect(),
                )
            }
            (Value::List(items), _, Some(input)) => {
                Some(vec![Span::new(file, input.span.clone()); items.len()])
            }
            _ => None,
        };
        let mut field = Field {
            name: self.name,
            value: as_text(self.value),
            span: self.span,
            value_span,
            element_spans,
            reported: false,
        };
        if let Some(err) = field.value.find_error().map(str::to_string) {
            let msg = format!(
                "`{}` of `{}` cannot be evaluated: {err}",
                field.name, low.label
            );
            low.invalid(&field, msg);
            field.value = field.value.errors_as_unknown();
            field.reported = true;
        }
        field
    }
}

/// One resource instance being lowered.
struct Res<'x, 'a> {
    ev: Ev<'x, 'a>,
    d: &'x Deployment<'a>,
    node: &'a Node,
    /// The full type, lowercase (`microsoft.network/virtualnetworks/virtualnetworkpeerings`).
    ty: String,
    /// The full name (`vnet/peering`), with unknown parts as markers.
    name: Value,
    label: String,
    header: Span,
    existing: bool,
}

impl Res<'_, '_> {
    fn file(&self) -> FileId {
        self.ev.frame.file
    }

    fn properties(&self) -> Prop<'_> {
        let member = self.node.member("properties");
        Prop {
            name: "properties".to_string(),
            value: member.map_or(Value::Object(Default::default()), |m| {
                self.ev.node(&m.value)
            }),
            node: member.map(|m| &m.value),
            span: member.map_or(self.header, |m| {
                Span::new(self.file(), m.name_span.start..m.value.span.end)
            }),
            input: None,
        }
    }

    fn member(&self, key: &str) -> Option<Prop<'_>> {
        let m = self.node.member(key)?;
        Some(Prop {
            name: m.name.clone(),
            value: self.ev.node(&m.value),
            node: Some(&m.value),
            span: Span::new(self.file(), m.name_span.start..m.value.span.end),
            input: None,
        })
    }

    fn lowering<'d>(&self, diags: &'d mut Vec<crate::diagnostic::Diagnostic>) -> Lowering<'d> {
        Lowering {
            label: self.label.clone(),
            header: self.header,
            diags,
            syntax: ir::Syntax::Json,
        }
    }

    /// The subscription and resource group the resource is in: its deployment's, unless
    /// it says otherwise (an `existing` resource of languageVersion 2.0 may).
    fn scope(&self) -> (ir::Subscription, ir::Value<String>) {
        let deploy = &self.d.deploy;
        let given = |key: &str| self.node.get(key).map(|n| as_text(self.ev.node(n)));
        let sub = given("subscriptionId");
        // A resource in another subscription names its resource group too.
        let rg = given("resourceGroup").or(sub.as_ref().map(|_| Value::Unknown));
        let sub = sub.unwrap_or_else(|| deploy.subscription.clone());
        let rg = rg.unwrap_or_else(|| deploy.resource_group.clone());
        let rg = match as_text(rg).to_str() {
            Ok(Some(rg)) if !token::has_unknown(&rg) => ir::Value::Known(rg),
            _ => ir::Value::Unknown,
        };
        (subscription(&sub), rg)
    }

    /// The VNet key of a VNet in this resource's resource group, by name.
    fn vnet_key(&self, name: &str) -> ir::Value<VnetKey> {
        let (subscription, rg) = self.scope();
        let ir::Value::Known(resource_group) = rg else {
            return ir::Value::Unknown;
        };
        ir::Value::Known(VnetKey {
            subscription,
            resource_group,
            name: name.to_string(),
            model: None,
        })
    }
}

fn subscription(v: &Value) -> ir::Subscription {
    match as_text(v.clone()).to_str() {
        Ok(Some(s)) => token::subscription(&s),
        _ => ir::Subscription::Unknown,
    }
}

/// Lowers every resource a deployment deploys.
pub(super) fn lower_deployment<'a>(session: &Session<'a>, d: &Deployment<'a>, model: &mut Model) {
    let Some(resources) = d.template.get("resources") else {
        return;
    };
    let copies = Copies::new();
    match &resources.kind {
        Json::Array(items) => {
            for r in items {
                lower_resource(session, d, r, None, None, &copies, model);
            }
        }
        // languageVersion 2.0: resources keyed by symbolic name.
        Json::Object(members) => {
            for m in members {
                let header = Span::new(d.frame.file, m.name_span.clone());
                lower_resource(
                    session,
                    d,
                    &m.value,
                    Some((&m.name, header)),
                    None,
                    &copies,
                    model,
                );
            }
        }
        _ => {}
    }
}

/// A resource and its copies.
fn lower_resource<'a>(
    session: &Session<'a>,
    d: &Deployment<'a>,
    node: &'a Node,
    symbolic: Option<(&str, Span)>,
    parent: Option<(&str, &Value)>,
    copies: &Copies,
    model: &mut Model,
) {
    let ev = Ev {
        session,
        frame: &d.frame,
        copies,
    };
    match node
        .get("copy")
        .filter(|c| matches!(c.kind, Json::Object(_)))
    {
        Some(copy) => {
            let name = copy
                .get("name")
                .and_then(Node::as_str)
                .unwrap_or("copy")
                .to_ascii_lowercase();
            match ev.count(copy.get("count")) {
                Some(n) => {
                    for i in 0..n as i64 {
                        let mut inner = copies.clone();
                        inner.push((name.clone(), i));
                        lower_instance(session, d, node, symbolic, parent, &inner, Some(i), model);
                    }
                }
                None => {
                    session.note(format!(
                        "{}: the copy count of a resource is not known (or too large); its instances are unknown",
                        d.frame.origin
                    ));
                    // A gateway or peering among the copies is not known either.
                    let ty = node.get("type").and_then(Node::as_str).unwrap_or("[");
                    session.gap(crate::ir::Gaps::of_type(ty));
                }
            }
        }
        None => lower_instance(session, d, node, symbolic, parent, copies, None, model),
    }
}

#[allow(clippy::too_many_arguments)]
fn lower_instance<'a>(
    session: &Session<'a>,
    d: &Deployment<'a>,
    node: &'a Node,
    symbolic: Option<(&str, Span)>,
    parent: Option<(&str, &Value)>,
    copies: &Copies,
    index: Option<i64>,
    model: &mut Model,
) {
    let ev = Ev {
        session,
        frame: &d.frame,
        copies,
    };
    let ty = node
        .get("type")
        .map(|t| ev.node(t))
        .and_then(|t| t.to_str().ok().flatten());
    if ty
        .as_deref()
        .is_some_and(|t| t.to_ascii_lowercase().ends_with("/virtualnetworkgateways"))
    {
        model.gateways_declared = true;
    }
    if let Some(c) = node.get("condition") {
        match ev.node(c) {
            Value::Bool(false) => return,
            // Deployed or not: not known, so neither is what it declares.
            Value::Unknown => {
                session.note(format!(
                    "{}: the condition of a resource is not known; whether it is deployed is unknown",
                    d.frame.origin
                ));
                session.gap(crate::ir::Gaps::of_type(ty.as_deref().unwrap_or("[")));
                return;
            }
            _ => {}
        }
    }
    let Some(ty) = ty else {
        return;
    };
    let name = node
        .get("name")
        .map_or(Value::Unknown, |n| as_text(ev.node(n)));
    // A child resource's type and name may be relative to its parent's.
    let (ty, name) = match parent {
        Some((pty, pname)) if !ty.contains('/') => {
            let full = match (pname.to_str(), name.to_str()) {
                (Ok(Some(p)), Ok(Some(n))) if !n.contains('/') => Value::String(format!("{p}/{n}")),
                _ => name.clone(),
            };
            (format!("{pty}/{ty}"), full)
        }
        _ => (ty, name),
    };
    let file = d.frame.file;
    let shown_name = shown(&name, node.get("name"));
    let short_ty = ty.rsplit('/').next().unwrap_or(&ty).to_string();
    let mut label = match symbolic {
        Some((s, _)) => s.to_string(),
        None => format!("{short_ty}/{shown_name}"),
    };
    if let (Some(i), Some(_)) = (index, symbolic) {
        label.push_str(&format!("[{i}]"));
    }
    let header = symbolic.map(|(_, h)| h).unwrap_or_else(|| {
        node.member("name")
            .map_or(Span::new(file, node.span.clone()), |m| {
                Span::new(file, m.name_span.start..m.value.span.end)
            })
    });
    let res = Res {
        ev,
        d,
        node,
        ty: ty.to_ascii_lowercase(),
        name,
        label: format!("{}{label}{}", d.label, d.suffix),
        header,
        existing: node
            .get("existing")
            .is_some_and(|e| e.kind == Json::Bool(true)),
    };
    match res.ty.as_str() {
        "microsoft.network/virtualnetworks" => vnet(&res, model, DeploymentModel::ResourceManager),
        "microsoft.classicnetwork/virtualnetworks" => vnet(&res, model, DeploymentModel::Classic),
        "microsoft.network/virtualnetworks/subnets" => subnet(&res, model),
        "microsoft.network/virtualnetworks/virtualnetworkpeerings" if !res.existing => {
            peering(&res, model)
        }
        "microsoft.network/virtualnetworkgateways" if !res.existing => gateway(&res, model),
        "microsoft.resources/deployments" if !res.existing => {
            // In an `outer` template, nested templates are evaluated by the parent first.
            let pre_evaluated = !std::ptr::eq(d.template, d.frame.root);
            if let Some(child) = d
                .frame
                .nested(session, node, copies, &d.deploy, pre_evaluated)
            {
                lower_deployment(session, &child, model);
            }
        }
        _ => {}
    }
    // Child resources (`resources` inside a resource).
    if let Some(children) = node.get("resources") {
        for child in children.items() {
            lower_resource(
                session,
                d,
                child,
                None,
                Some((&ty, &res.name)),
                copies,
                model,
            );
        }
    }
}

/// A name for labels: its text when known (with `*` for the parts that are not, as in
/// `deploy-vnet-app-*`), else the expression the template writes.
pub(super) fn shown(name: &Value, node: Option<&Node>) -> String {
    match name.to_str() {
        Ok(Some(text)) if !token::is_opaque(&text) => text,
        Ok(Some(text)) if token::mask(&text, "").chars().any(char::is_alphanumeric) => {
            token::mask(&text, "*")
        }
        _ => match node.and_then(Node::as_str) {
            Some(raw) => raw.to_string(),
            None => "(unknown)".to_string(),
        },
    }
}

/// The segments of a resource name (`vnet/peering`), when they are known or symbolic.
fn segments(name: &Value) -> Option<Vec<String>> {
    let text = name.to_str().ok().flatten()?;
    if token::has_unknown(&text) {
        return None;
    }
    Some(text.split('/').map(str::to_string).collect())
}

fn vnet(res: &Res<'_, '_>, model: &mut Model, kind: DeploymentModel) {
    let file = res.file();
    let mut diags = Vec::new();
    let mut low = res.lowering(&mut diags);
    let name = segments(&res.name).and_then(|s| s.last().cloned());
    let props = res.properties();
    let location = res.member("location").map(|p| p.field(file, &mut low));
    let location = if res.existing {
        Spanned {
            value: ir::Value::Unknown,
            span: res.header,
        }
    } else {
        low.location(location)
    };
    let address_space = match props
        .get("addressSpace", file, res.ev.session)
        .and_then(|a| a.get("addressPrefixes", file, res.ev.session))
    {
        Some(list) if !res.existing => {
            let field = list.field(file, &mut low);
            low.prefixes(Some(field), None)
        }
        _ => AddressSpace::unknown(),
    };
    let id = VnetId(model.vnets.len() as u32);
    let (subscription, resource_group) = res.scope();
    model.vnets.push(Vnet {
        label: res.label.clone(),
        name: name.clone().into(),
        resource_group,
        subscription,
        location,
        address_space,
        model: kind,
        existing: res.existing,
        origin: res.header,
        address_change: None,
        deployed: false,
        subnets: Vec::new(),
        gateways: Vec::new(),
        gateways_unknown: false,
    });
    if res.existing {
        res.ev.session.take_diagnostics_into(diags);
        return;
    }
    if let Some(subnets) = props.get("subnets", file, res.ev.session) {
        for item in subnets.items(file) {
            let sname = item
                .get("name", file, res.ev.session)
                .map(|p| p.field(file, &mut low));
            let name = sname.as_ref().and_then(|f| low.identity(f));
            let sp = item.get("properties", file, res.ev.session);
            let list = sp
                .as_ref()
                .and_then(|p| p.get("addressPrefixes", file, res.ev.session))
                .map(|p| p.field(file, &mut low));
            let single = sp
                .as_ref()
                .and_then(|p| p.get("addressPrefix", file, res.ev.session))
                .map(|p| p.field(file, &mut low));
            let address_prefixes = low.prefixes(list, single);
            let mut vref = VnetRef::new(ir::Value::Unknown, item.span);
            vref.resolved = Some(id);
            let name: ir::Value<String> = name.into();
            model.subnets.push(Subnet {
                label: Subnet::inline_label(&res.label, &name),
                name,
                vnet: vref,
                address_prefixes,
                origin: item.span,
            });
        }
    }
    // Peerings written inline in the VNet.
    if let Some(peerings) = props.get("virtualNetworkPeerings", file, res.ev.session) {
        for item in peerings.items(file) {
            let pname = item.get("name", file, res.ev.session);
            let shown = pname.as_ref().map_or_else(
                || "(unnamed)".to_string(),
                |p| shown(&as_text(p.value.clone()), p.node),
            );
            let mut local = VnetRef::new(ir::Value::Unknown, item.span);
            local.resolved = Some(id);
            let pprops = item.get("properties", file, res.ev.session);
            let mut inner = Lowering {
                label: format!("{} peering '{shown}'", res.label),
                header: item.span,
                diags: low.diags,
                syntax: ir::Syntax::Json,
            };
            push_peering(
                &mut inner,
                model,
                file,
                res.ev.session,
                pname,
                local,
                pprops,
            );
        }
    }
    res.ev.session.take_diagnostics_into(diags);
}

fn subnet(res: &Res<'_, '_>, model: &mut Model) {
    let file = res.file();
    let mut diags = Vec::new();
    let mut low = res.lowering(&mut diags);
    let segs = segments(&res.name);
    let (vnet_name, name) = match segs.as_deref() {
        Some([vnet, subnet]) => (Some(vnet.clone()), Some(subnet.clone())),
        _ => (None, None),
    };
    let vnet = VnetRef::new(
        vnet_name.map_or(ir::Value::Unknown, |v| res.vnet_key(&v)),
        res.header,
    );
    let props = res.properties();
    let list = props
        .get("addressPrefixes", file, res.ev.session)
        .map(|p| p.field(file, &mut low));
    let single = props
        .get("addressPrefix", file, res.ev.session)
        .map(|p| p.field(file, &mut low));
    let address_prefixes = if res.existing {
        AddressSpace::unknown()
    } else {
        low.prefixes(list, single)
    };
    model.subnets.push(Subnet {
        label: res.label.clone(),
        name: name.into(),
        vnet,
        address_prefixes,
        origin: res.header,
    });
    res.ev.session.take_diagnostics_into(diags);
}

fn peering(res: &Res<'_, '_>, model: &mut Model) {
    let file = res.file();
    let mut diags = Vec::new();
    let mut low = res.lowering(&mut diags);
    let local_name = segments(&res.name).and_then(|s| match s.as_slice() {
        [vnet, _] => Some(vnet.clone()),
        _ => None,
    });
    let local = VnetRef::new(
        local_name.map_or(ir::Value::Unknown, |v| res.vnet_key(&v)),
        res.header,
    );
    // The peering's own name is the last segment of `vnet/peering`.
    let name = res.member("name").map(|p| {
        if p.value.find_error().is_some() {
            return p;
        }
        Prop {
            value: match segments(&res.name).and_then(|s| s.last().cloned()) {
                Some(last) => Value::String(last),
                None => Value::Unknown,
            },
            ..p
        }
    });
    let props = Some(res.properties());
    push_peering(&mut low, model, file, res.ev.session, name, local, props);
    res.ev.session.take_diagnostics_into(diags);
}

/// A peering from its REST properties.
fn push_peering(
    low: &mut Lowering<'_>,
    model: &mut Model,
    file: FileId,
    session: &Session<'_>,
    name: Option<Prop<'_>>,
    local: VnetRef,
    props: Option<Prop<'_>>,
) {
    let name = name.map(|p| p.field(file, low));
    let remote = props
        .as_ref()
        .and_then(|p| p.get("remoteVirtualNetwork", file, session))
        .and_then(|r| r.get("id", file, session))
        .map(|p| p.field(file, low));
    let remote = low.vnet_ref(remote, "a virtual network id");
    let settings: Vec<(String, Field)> = match &props {
        Some(p) => REST_PEERING
            .settings()
            .into_iter()
            .filter_map(|k| {
                p.get(k, file, session)
                    .map(|v| (k.to_string(), v.field(file, low)))
            })
            .collect(),
        None => Vec::new(),
    };
    low.push_peering(model, name, local, remote, &REST_PEERING, |_, k| {
        settings
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, f)| f.clone())
    });
}

fn gateway(res: &Res<'_, '_>, model: &mut Model) {
    let file = res.file();
    let session = res.ev.session;
    let mut diags = Vec::new();
    let mut low = res.lowering(&mut diags);
    let props = res.properties();
    let name = res.member("name").map(|p| p.field(file, &mut low));
    let kind = props
        .get("gatewayType", file, session)
        .map(|p| p.field(file, &mut low));
    let sku = props
        .get("sku", file, session)
        .and_then(|s| s.get("name", file, session))
        .map(|p| p.field(file, &mut low));
    let subnets: Vec<Field> = props
        .get("ipConfigurations", file, session)
        .map(|c| c.items(file))
        .unwrap_or_default()
        .into_iter()
        .filter_map(|c| {
            c.get("properties", file, session)?
                .get("subnet", file, session)?
                .get("id", file, session)
        })
        .map(|p| p.field(file, &mut low))
        .collect();
    low.push_gateway(model, name, kind, sku, subnets);
    session.take_diagnostics_into(diags);
}
