//! The plan frontend: `terraform show -json` output → the peering model.
//!
//! A plan states what Terraform will create, change and keep (`planned_values`, child
//! modules and instance keys included), what exists now (`prior_state`, with the data
//! sources read while planning), and each resource's change (`resource_changes`: the
//! actions, the values before, and which values are known only after apply). Values known
//! only after apply, such as a new VNet's `id`, are followed through the configuration's
//! references (`configuration`): a new peering's `remote_virtual_network_id` that
//! references `azurerm_virtual_network.hub.id`, or `var.hub_id` of a module whose call
//! passes `module.hub.id`, is the id of that VNet.

mod merge;
mod refs;

use super::convert::{AZURERM_PEERING, Field, Lowering, REST_PEERING};
use super::json::{Json, Node};
use super::value::Value;
use super::{LoadOptions, Objects, Workspace};
use crate::diagnostic::Diagnostic;
use crate::ir::{
    self, AddressSpace, DeploymentModel, Model, Span, Subnet, Syntax, Vnet, VnetId, VnetKey,
    VnetRef,
};
use crate::resource_id::{ResourceId, parse_resource_group};
use crate::source::FileId;
use refs::Plan;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Whether a JSON document is a plan (`format_version` with planned values or changes).
pub(crate) fn is_plan(doc: &Node) -> bool {
    doc.get("format_version").is_some()
        && (doc.get("planned_values").is_some() || doc.get("resource_changes").is_some())
}

/// A resource instance of a plan, with where its values are written.
pub(crate) struct Resource<'d> {
    /// `module.spoke["b"].azurerm_virtual_network.this[0]`.
    pub address: String,
    /// The module instance it belongs to: `module.spoke["b"]`, or `` for the root.
    pub module: String,
    pub data: bool,
    pub ty: String,
    /// `type.name`, without module or index.
    pub local: String,
    pub values: &'d Node,
    /// The resource's object in the plan.
    pub node: &'d Node,
    /// Which values are known only after apply (mirrors `values`).
    pub after_unknown: Option<&'d Node>,
    /// The planned actions (`create`, `update`, `delete`, …).
    pub actions: Vec<String>,
    /// The values before the change, for updates.
    pub before: Option<&'d Node>,
}

/// The root module folders a plan may have been made from: the `--source` folders, or the
/// plan's own.
pub(crate) fn source_dirs(
    ws: &Workspace<'_>,
    file: FileId,
    options: &LoadOptions<'_>,
) -> Vec<PathBuf> {
    if options.plan_sources.is_empty() {
        let path = &ws.sources.get(file).path;
        vec![super::normalize(path.parent().unwrap_or(Path::new("")))]
    } else {
        options
            .plan_sources
            .iter()
            .map(|d| super::normalize(d))
            .collect()
    }
}

/// The plans made from each root module folder.
fn plans_by_root<'p>(
    ws: &Workspace<'_>,
    plans: &'p [(FileId, Node)],
    options: &LoadOptions<'_>,
) -> HashMap<PathBuf, Vec<&'p (FileId, Node)>> {
    let mut by_dir: HashMap<PathBuf, Vec<&(FileId, Node)>> = HashMap::new();
    for p in plans {
        for dir in source_dirs(ws, p.0, options) {
            by_dir.entry(dir).or_default().push(p);
        }
    }
    by_dir
}

/// The variable values of the one plan made from each root module folder, for the
/// Terraform frontend to evaluate that root with.
pub(crate) fn root_inputs(
    ws: &Workspace<'_>,
    plans: &[(FileId, Node)],
    options: &LoadOptions<'_>,
) -> HashMap<PathBuf, Vec<(String, Value)>> {
    plans_by_root(ws, plans, options)
        .into_iter()
        .filter_map(|(dir, plans)| {
            let [(_, doc)] = plans.as_slice() else {
                return None;
            };
            let values = doc
                .get("variables")
                .map(Node::members)
                .unwrap_or_default()
                .iter()
                .filter_map(|m| Some((m.name.clone(), super::arm::literal(m.value.get("value")?))))
                .collect();
            Some((dir, values))
        })
        .collect()
}

/// Lowers every plan into `model`. A plan whose Terraform sources were lowered too (the
/// root module in the plan's folder, or in a `--source` folder) is merged into them.
pub(crate) fn lower(
    ws: &mut Workspace<'_>,
    plans: &[(FileId, Node)],
    options: &LoadOptions<'_>,
    model: &mut Model,
) {
    let by_root: HashMap<PathBuf, usize> = plans_by_root(ws, plans, options)
        .into_iter()
        .map(|(dir, p)| (dir, p.len()))
        .collect();
    let mut sources_variant: Vec<PathBuf> = Vec::new();
    for (file, doc) in plans {
        let name = ws.sources.get(*file).display.clone();
        let plan = Plan::new(*file, name, doc, model.symbols.len() as u32);
        if let Some(root) = doc.get("configuration").and_then(|c| c.get("root_module")) {
            model.gateways_declared |= declares_gateway(root);
        }
        let start = Objects::end_of(model);
        let mut diags: Vec<(String, Vec<Diagnostic>)> = Vec::new();
        for (i, r) in plan.resources.iter().enumerate() {
            let lower: fn(&mut Cx<'_, '_>, &mut Model) = match (r.data, r.ty.as_str()) {
                (false, "azurerm_virtual_network") => lower_vnet,
                (true, "azurerm_virtual_network") => lower_vnet,
                (false, "azurerm_subnet") => lower_subnet,
                (false, "azurerm_virtual_network_gateway") => lower_gateway,
                (false, "azurerm_virtual_network_peering") => lower_peering,
                (false, "azapi_resource") => lower_azapi,
                _ => continue,
            };
            let header = r
                .node
                .member("address")
                .map_or(Span::new(*file, r.node.span.clone()), |m| {
                    Span::new(*file, m.name_span.start..m.value.span.end)
                });
            let mut own = Vec::new();
            let mut cx = Cx {
                plan: &plan,
                r,
                index: i,
                low: Lowering {
                    label: r.address.clone(),
                    header,
                    diags: &mut own,
                    syntax: Syntax::Hcl,
                },
            };
            lower(&mut cx, model);
            diags.push((r.address.clone(), own));
        }
        model.symbols.extend(plan.symbols.descriptions());
        // The peerings the plan destroys.
        for c in doc
            .get("resource_changes")
            .map(Node::items)
            .unwrap_or_default()
        {
            let change = c.get("change");
            let actions: Vec<&str> = change
                .and_then(|ch| ch.get("actions"))
                .map(Node::items)
                .unwrap_or_default()
                .iter()
                .filter_map(Node::as_str)
                .collect();
            let is_peering =
                c.get("type").and_then(Node::as_str) == Some("azurerm_virtual_network_peering");
            // Deleted, or replaced (perhaps under a new name): the old one goes.
            if !is_peering || !actions.contains(&"delete") {
                continue;
            }
            let before = change.and_then(|ch| ch.get("before"));
            let text = |k: &str| {
                before
                    .and_then(|b| b.get(k))
                    .and_then(Node::as_str)
                    .map(str::to_lowercase)
            };
            if let (Some(rg), Some(vnet), Some(name)) = (
                text("resource_group_name"),
                text("virtual_network_name"),
                text("name"),
            ) {
                ws.destroyed_peerings.insert((rg, vnet, name));
            }
        }
        let lowered = Objects::since(&start, model);
        // A plan's references reach its own VNets first.
        super::link::link_within(model, &lowered);
        // Two plans of one root (dev and prod) are alternatives, and so is the root's
        // evaluation from its sources.
        let dirs = source_dirs(ws, *file, options);
        if dirs.iter().any(|d| by_root.get(d).is_some_and(|&n| n > 1)) {
            lowered.make_variant(model);
            for (root, objects) in &ws.terraform_roots {
                if dirs.contains(root) && !sources_variant.contains(root) {
                    sources_variant.push(root.clone());
                    objects.make_variant(model);
                }
            }
        }
        // Merged when the plan is the only one of its root: two plans of one root (dev and
        // prod) describe different estates.
        let source = ws
            .terraform_roots
            .iter()
            .find(|(root, _)| dirs.contains(root) && by_root.get(root) == Some(&1))
            .map(|(_, objects)| objects.clone());
        let merged = match source {
            Some(source) => merge::merge(model, &source, &lowered),
            None => Default::default(),
        };
        // What the sources report about a resource, they report at its `.tf` lines.
        for (label, own) in diags {
            if !merged.contains(&label) {
                ws.diagnostics.extend(own);
            }
        }
    }
}

/// Whether a module of the plan's configuration declares a virtual network gateway,
/// whatever its count (a plan lists no instance of a gateway whose count is 0).
fn declares_gateway(module: &Node) -> bool {
    let gateway = |r: &Node| {
        let ty = r.get("type").and_then(Node::as_str);
        let managed = r.get("mode").and_then(Node::as_str) != Some("data");
        managed
            && (ty == Some("azurerm_virtual_network_gateway")
                || (ty == Some("azapi_resource")
                    && r.get("expressions")
                        .and_then(|e| e.get("type"))
                        .and_then(|t| t.get("constant_value"))
                        .and_then(Node::as_str)
                        .is_some_and(|t| {
                            t.to_ascii_lowercase()
                                .starts_with("microsoft.network/virtualnetworkgateways@")
                        })))
    };
    module
        .get("resources")
        .map(Node::items)
        .unwrap_or_default()
        .iter()
        .any(gateway)
        || module.get("module_calls").is_some_and(|calls| {
            calls
                .members()
                .iter()
                .any(|call| call.value.get("module").is_some_and(declares_gateway))
        })
}

/// One resource instance being lowered.
struct Cx<'x, 'd> {
    plan: &'x Plan<'d>,
    r: &'x Resource<'d>,
    index: usize,
    low: Lowering<'x>,
}

impl Cx<'_, '_> {
    fn file(&self) -> FileId {
        self.plan.file
    }

    /// An attribute (`a.b.c` for nested objects and blocks): its planned value, unknown
    /// when Terraform knows it only after apply, and followed through the configuration's
    /// references then.
    fn attr(&self, path: &str) -> Option<Field> {
        let value = self.plan.value(self.index, path);
        let node = self.plan.node_of(self.r.values, path);
        if node.is_none() && matches!(value, Value::Null) {
            return None;
        }
        let file = self.file();
        let (span, value_span) = match &node {
            Some((member_span, n)) => (
                Span::new(file, member_span.clone()),
                Span::new(file, n.span.clone()),
            ),
            None => (self.low.header, self.low.header),
        };
        let element_spans = match (node.map(|(_, n)| &n.kind), &value) {
            (Some(Json::Array(items)), Value::List(l)) if items.len() == l.len() => Some(
                items
                    .iter()
                    .map(|i| Span::new(file, i.span.clone()))
                    .collect(),
            ),
            _ => None,
        };
        Some(Field {
            name: path.to_string(),
            value,
            span,
            value_span,
            element_spans,
            reported: false,
        })
    }

    /// The number of elements of a list attribute (nested blocks).
    fn len(&self, path: &str) -> usize {
        match self.plan.value(self.index, path) {
            Value::List(l) => l.len(),
            _ => 0,
        }
    }

    /// For an update that changes the address prefixes at `path`: the prefixes before.
    fn address_change(&self, path: &str) -> Option<Vec<String>> {
        if !self.r.actions.iter().any(|a| a == "update") {
            return None;
        }
        let before = self.plan.before(self.index, path)?;
        let after = self.plan.value(self.index, path);
        let strings = |v: &Value| -> Option<Vec<String>> {
            let Value::List(items) = v else {
                return None;
            };
            let mut out: Vec<String> = items
                .iter()
                .map(|i| i.to_str().ok().flatten())
                .collect::<Option<_>>()?;
            out.sort();
            Some(out)
        };
        let (b, a) = (strings(&before)?, strings(&after)?);
        (a != b).then(|| match before {
            Value::List(items) => items
                .iter()
                .filter_map(|i| i.to_str().ok().flatten())
                .collect(),
            _ => Vec::new(),
        })
    }

    /// Whether the resource exists before the change: the plan keeps, reads or updates
    /// it (does not create or re-create it).
    fn exists(&self) -> bool {
        let actions = &self.r.actions;
        !actions.is_empty() && !actions.iter().any(|a| a == "create")
    }

    /// Whether the change leaves a peering in sync: it is created or replaced, or its
    /// `triggers` change.
    fn resyncs(&self, triggers: &str) -> bool {
        let actions = &self.r.actions;
        // Created (or re-created) with the new address space: in sync.
        if actions.iter().any(|a| a == "create") {
            return true;
        }
        if !actions.iter().any(|a| a == "update") {
            return false;
        }
        let after = self.plan.value(self.index, triggers);
        let before = self
            .plan
            .before(self.index, triggers)
            .unwrap_or(Value::Null);
        after == Value::Unknown || (after != Value::Null && after != before)
    }

    /// The subscription the resource is in: its id's, or its provider's.
    fn subscription(&self) -> ir::Subscription {
        if let Ok(Some(id)) = self.plan.value(self.index, "id").to_str()
            && let Some((sub, _)) = parse_resource_group(&id)
        {
            return sub;
        }
        match self.plan.subscription(self.index) {
            Value::String(s) => ir::token::subscription(&s),
            Value::Symbol(n) => ir::token::subscription(&ir::token::symbol(n)),
            _ => ir::Subscription::Unknown,
        }
    }
}

fn lower_vnet(cx: &mut Cx<'_, '_>, model: &mut Model) {
    let name = cx.attr("name");
    let name = name.as_ref().and_then(|f| cx.low.identity(f)).into();
    let rg = cx.attr("resource_group_name");
    let resource_group = rg.as_ref().and_then(|f| cx.low.identity(f)).into();
    let location = cx.attr("location");
    let location = cx.low.location(location);
    let space = cx.attr("address_space");
    let address_space = cx.low.prefixes(space, None);
    let address_change = cx.address_change("address_space");
    let id = VnetId(model.vnets.len() as u32);
    model.vnets.push(Vnet {
        label: cx.low.label.clone(),
        name,
        resource_group,
        subscription: cx.subscription(),
        location,
        address_space,
        model: DeploymentModel::ResourceManager,
        existing: cx.r.data,
        origin: cx.low.header,
        address_change,
        deployed: false,
        subnets: Vec::new(),
        gateways: Vec::new(),
        gateways_unknown: false,
    });
    for i in 0..cx.len("subnet") {
        let block = format!("subnet.{i}");
        let name = cx.attr(&format!("{block}.name"));
        let name = name.as_ref().and_then(|f| cx.low.identity(f));
        let list = cx.attr(&format!("{block}.address_prefixes"));
        let single = cx.attr(&format!("{block}.address_prefix"));
        let address_prefixes = cx.low.prefixes(list, single);
        let origin = cx
            .plan
            .node_of(cx.r.values, &block)
            .map_or(cx.low.header, |(s, _)| Span::new(cx.file(), s));
        let mut vnet = VnetRef::new(ir::Value::Unknown, origin);
        vnet.resolved = Some(id);
        let name: ir::Value<String> = name.into();
        model.subnets.push(Subnet {
            label: Subnet::inline_label(&cx.low.label, &name),
            name,
            vnet,
            address_prefixes,
            origin,
        });
    }
}

/// The VNet a resource names with `virtual_network_name` and `resource_group_name`.
fn vnet_by_name(cx: &mut Cx<'_, '_>) -> VnetRef {
    let name = cx.attr("virtual_network_name");
    let span = name.as_ref().map_or(cx.low.header, |f| f.span);
    let name = name.as_ref().and_then(|f| cx.low.identity(f));
    let rg = cx.attr("resource_group_name");
    let rg = rg.as_ref().and_then(|f| cx.low.identity(f));
    let target = match (name, rg) {
        (Some(name), Some(resource_group)) => ir::Value::Known(VnetKey {
            subscription: cx.subscription(),
            resource_group,
            name,
            model: None,
        }),
        _ => ir::Value::Unknown,
    };
    VnetRef::new(target, span)
}

fn lower_subnet(cx: &mut Cx<'_, '_>, model: &mut Model) {
    let name = cx.attr("name");
    let name = name.as_ref().and_then(|f| cx.low.identity(f));
    let vnet = vnet_by_name(cx);
    let list = cx.attr("address_prefixes");
    let single = cx.attr("address_prefix");
    let address_prefixes = cx.low.prefixes(list, single);
    model.subnets.push(Subnet {
        label: cx.low.label.clone(),
        name: name.into(),
        vnet,
        address_prefixes,
        origin: cx.low.header,
    });
}

fn lower_gateway(cx: &mut Cx<'_, '_>, model: &mut Model) {
    let name = cx.attr("name");
    let kind = cx.attr("type");
    let sku = cx.attr("sku");
    let subnets = (0..cx.len("ip_configuration"))
        .filter_map(|i| cx.attr(&format!("ip_configuration.{i}.subnet_id")))
        .collect();
    cx.low.push_gateway(model, name, kind, sku, subnets);
}

fn lower_peering(cx: &mut Cx<'_, '_>, model: &mut Model) {
    let name = cx.attr("name");
    let local = vnet_by_name(cx);
    let remote = cx.attr("remote_virtual_network_id");
    let remote = cx.low.vnet_ref(remote, "a virtual network id");
    let settings: Vec<(&str, Field)> = AZURERM_PEERING
        .settings()
        .into_iter()
        .filter_map(|n| Some((n, cx.attr(n)?)))
        .collect();
    cx.low
        .push_peering(model, name, local, remote, &AZURERM_PEERING, |_, n| {
            settings
                .iter()
                .find(|(k, _)| *k == n)
                .map(|(_, f)| f.clone())
        });
    if let Some(p) = model.peerings.last_mut() {
        p.resync = cx.resyncs("triggers");
        p.exists = cx.exists();
    }
}

/// The subnets and peerings an azapi VNet's `body` writes inside it.
fn inline_azapi(cx: &mut Cx<'_, '_>, vnet: VnetId, model: &mut Model) {
    let vnet_label = cx.low.label.clone();
    for i in 0..cx.len("body.properties.subnets") {
        let at = format!("body.properties.subnets.{i}");
        let name = cx.attr(&format!("{at}.name"));
        let origin = name.as_ref().map_or(cx.low.header, |f| f.span);
        let name: ir::Value<String> = name.as_ref().and_then(|f| cx.low.identity(f)).into();
        let list = cx.attr(&format!("{at}.properties.addressPrefixes"));
        let single = cx.attr(&format!("{at}.properties.addressPrefix"));
        let address_prefixes = cx.low.prefixes(list, single);
        let mut r = VnetRef::new(ir::Value::Unknown, origin);
        r.resolved = Some(vnet);
        model.subnets.push(Subnet {
            label: Subnet::inline_label(&vnet_label, &name),
            name,
            vnet: r,
            address_prefixes,
            origin,
        });
    }
    for i in 0..cx.len("body.properties.virtualNetworkPeerings") {
        let at = format!("body.properties.virtualNetworkPeerings.{i}");
        let name = cx.attr(&format!("{at}.name"));
        let remote = cx.attr(&format!("{at}.properties.remoteVirtualNetwork.id"));
        let remote = cx.low.vnet_ref(remote, "a virtual network id");
        let settings: Vec<(&str, Field)> = REST_PEERING
            .settings()
            .into_iter()
            .filter_map(|n| Some((n, cx.attr(&format!("{at}.properties.{n}"))?)))
            .collect();
        let mut local = VnetRef::new(ir::Value::Unknown, cx.low.header);
        local.resolved = Some(vnet);
        let shown = match name.as_ref().map(|f| &f.value) {
            Some(Value::String(n)) => format!("{vnet_label} peering '{n}'"),
            _ => format!("{vnet_label} peering"),
        };
        let outer = std::mem::replace(&mut cx.low.label, shown);
        cx.low
            .push_peering(model, name, local, remote, &REST_PEERING, |_, n| {
                settings
                    .iter()
                    .find(|(k, _)| *k == n)
                    .map(|(_, f)| f.clone())
            });
        cx.low.label = outer;
        if let Some(p) = model.peerings.last_mut() {
            p.resync = cx.resyncs("body");
            p.exists = cx.exists();
        }
    }
}

/// An `azapi_resource` of a REST type peerlint reads, its properties in `body`.
fn lower_azapi(cx: &mut Cx<'_, '_>, model: &mut Model) {
    let ty = match cx.plan.value(cx.index, "type").to_str() {
        Ok(Some(t)) => t.split('@').next().unwrap_or_default().to_ascii_lowercase(),
        _ => return,
    };
    cx.low.syntax = Syntax::Hcl;
    let parent = cx.attr("parent_id");
    let parent_text = parent.as_ref().and_then(|f| cx.low.id_text(f));
    match ty.as_str() {
        "microsoft.network/virtualnetworks" | "microsoft.classicnetwork/virtualnetworks" => {
            let kind = if ty.starts_with("microsoft.classicnetwork") {
                DeploymentModel::Classic
            } else {
                DeploymentModel::ResourceManager
            };
            let name = cx.attr("name");
            let name = name.as_ref().and_then(|f| cx.low.identity(f)).into();
            let (subscription, resource_group) =
                match parent_text.as_deref().and_then(parse_resource_group) {
                    Some((s, rg)) => (s, ir::Value::Known(rg)),
                    None => (ir::Subscription::Unknown, ir::Value::Unknown),
                };
            let location = cx.attr("location");
            let location = cx.low.location(location);
            let prefixes = cx.attr("body.properties.addressSpace.addressPrefixes");
            let address_space = match prefixes {
                Some(f) => cx.low.prefixes(Some(f), None),
                None => AddressSpace::unknown(),
            };
            let address_change = cx.address_change("body.properties.addressSpace.addressPrefixes");
            let id = VnetId(model.vnets.len() as u32);
            model.vnets.push(Vnet {
                label: cx.low.label.clone(),
                name,
                resource_group,
                subscription,
                location,
                address_space,
                model: kind,
                existing: false,
                origin: cx.low.header,
                address_change,
                deployed: false,
                subnets: Vec::new(),
                gateways: Vec::new(),
                gateways_unknown: false,
            });
            inline_azapi(cx, id, model);
        }
        "microsoft.network/virtualnetworks/subnets" => {
            let name = cx.attr("name");
            let name = name.as_ref().and_then(|f| cx.low.identity(f));
            let vnet = VnetRef::new(
                parent_text
                    .as_deref()
                    .and_then(ResourceId::parse)
                    .and_then(|id| id.vnet_key())
                    .map_or(ir::Value::Unknown, ir::Value::Known),
                parent.as_ref().map_or(cx.low.header, |f| f.span),
            );
            let list = cx.attr("body.properties.addressPrefixes");
            let single = cx.attr("body.properties.addressPrefix");
            let address_prefixes = cx.low.prefixes(list, single);
            model.subnets.push(Subnet {
                label: cx.low.label.clone(),
                name: name.into(),
                vnet,
                address_prefixes,
                origin: cx.low.header,
            });
        }
        "microsoft.network/virtualnetworks/virtualnetworkpeerings" => {
            let name = cx.attr("name");
            let local = cx.low.vnet_ref(parent, "a virtual network id");
            let remote = cx.attr("body.properties.remoteVirtualNetwork.id");
            let remote = cx.low.vnet_ref(remote, "a virtual network id");
            let settings: HashMap<&str, Field> = REST_PEERING
                .settings()
                .into_iter()
                .filter_map(|n| Some((n, cx.attr(&format!("body.properties.{n}"))?)))
                .collect();
            cx.low
                .push_peering(model, name, local, remote, &REST_PEERING, |_, n| {
                    settings.get(n).cloned()
                });
            // azapi re-creates or updates the resource; a replacement re-syncs it.
            if let Some(p) = model.peerings.last_mut() {
                p.resync = cx.resyncs("body");
                p.exists = cx.exists();
            }
        }
        "microsoft.network/virtualnetworkgateways" => {
            let name = cx.attr("name");
            let kind = cx.attr("body.properties.gatewayType");
            let sku = cx.attr("body.properties.sku.name");
            let count = cx.len("body.properties.ipConfigurations");
            let subnets = (0..count)
                .filter_map(|i| {
                    cx.attr(&format!(
                        "body.properties.ipConfigurations.{i}.properties.subnet.id"
                    ))
                })
                .collect();
            cx.low.push_gateway(model, name, kind, sku, subnets);
        }
        _ => {}
    }
}
