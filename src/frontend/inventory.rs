//! The inventory frontend: what Azure already has, from `--inventory` files.
//!
//! Reads VNets and peerings in the Azure CLI's flattened shape (`az network vnet list -o
//! json`, `az network vnet peering list -o json`, `az network vnet show`) and in the REST
//! shape with `properties` (`az rest`, Resource Graph exports, `{"value": [...]}` lists).
//! Inventory VNets fill in what the code leaves unknown (the address space and location
//! of a VNet the code only reads or names by id); a VNet no checked file declares joins
//! the model, with its peerings and, when its `GatewaySubnet` is in use, its gateway. The
//! code wins where both describe the same VNet: the code is the change under review.

use super::Workspace;
use super::convert::{Field, Lowering, REST_PEERING};
use super::json::{Json, Node};
use super::value::Value;
use crate::ir::{self, DeploymentModel, Gateway, Model, Span, Syntax, Vnet, VnetId, VnetRef};
use crate::resource_id::ResourceId;
use crate::source::FileId;
use std::collections::{HashMap, HashSet};

/// One inventory item: its properties (the object itself in the CLI's flattened shape).
struct Item<'d> {
    file: FileId,
    node: &'d Node,
    props: &'d Node,
}

impl<'d> Item<'d> {
    fn new(file: FileId, node: &'d Node) -> Self {
        let props = node.get("properties").unwrap_or(node);
        Item { file, node, props }
    }

    fn id(&self) -> Option<&'d str> {
        self.node.get("id").and_then(Node::as_str)
    }

    /// What it is: by `type`, or by its shape when the CLI leaves `type` out.
    fn kind(&self) -> Option<&'static str> {
        let ty = self
            .node
            .get("type")
            .and_then(Node::as_str)
            .unwrap_or_default()
            .to_ascii_lowercase();
        match ty.as_str() {
            "microsoft.network/virtualnetworks" => Some("vnet"),
            "microsoft.classicnetwork/virtualnetworks" => Some("classic"),
            "microsoft.network/virtualnetworks/virtualnetworkpeerings" => Some("peering"),
            "" if self.props.get("addressSpace").is_some() => Some("vnet"),
            "" if self.props.get("remoteVirtualNetwork").is_some() => Some("peering"),
            _ => None,
        }
    }

    /// Where findings point at the item: its `id` (or `name`) member, else the object.
    fn span(&self) -> Span {
        let member = self.node.member("id").or_else(|| self.node.member("name"));
        match member {
            Some(m) => Span::new(self.file, m.name_span.start..m.value.span.end),
            None => Span::new(self.file, self.node.span.clone()),
        }
    }

    /// A member of the properties as the conversions take it.
    fn field(&self, path: &[&str]) -> Option<Field> {
        let mut cur = self.props;
        let mut span = cur.span.clone();
        for key in path {
            let m = cur.member(key)?;
            span = m.name_span.start..m.value.span.end;
            cur = &m.value;
        }
        let element_spans = match &cur.kind {
            Json::Array(items) => Some(
                items
                    .iter()
                    .map(|i| Span::new(self.file, i.span.clone()))
                    .collect(),
            ),
            _ => None,
        };
        Some(Field {
            name: path.join("."),
            value: super::arm::literal(cur),
            span: Span::new(self.file, span),
            value_span: Span::new(self.file, cur.span.clone()),
            element_spans,
            reported: false,
        })
    }
}

/// The items of an inventory document: a list, `{"value": [...]}`, `{"data": [...]}`, or
/// one resource.
fn items(file: FileId, doc: &Node) -> Vec<Item<'_>> {
    // A REST API example: `{"parameters": …, "responses": {"200": {"body": …}}}`.
    let doc = doc
        .get("responses")
        .and_then(|r| r.get("200").or_else(|| r.get("201")))
        .and_then(|r| r.get("body"))
        .unwrap_or(doc);
    let list = match &doc.kind {
        Json::Array(items) => items.iter().collect(),
        Json::Object(_) => match doc.get("value").or_else(|| doc.get("data")) {
            Some(Node {
                kind: Json::Array(items),
                ..
            }) => items.iter().collect(),
            _ => vec![doc],
        },
        _ => Vec::new(),
    };
    list.into_iter().map(|n| Item::new(file, n)).collect()
}

/// Adds what the inventories say to the model.
pub(crate) fn apply(ws: &mut Workspace<'_>, docs: &[(FileId, Node)], model: &mut Model) {
    let mut diags = Vec::new();
    let code_peerings = model.peerings.len();
    // The VNets whose peerings the inventory lists, and the code's peerings it shows exist.
    let mut listed: std::collections::HashSet<VnetId> = Default::default();
    let mut deployed: std::collections::HashSet<usize> = Default::default();
    // The subscriptions each (resource group, name) has among the inventories: a name in
    // two subscriptions does not tell which of them the code means.
    let mut subscriptions: HashMap<(String, String), HashSet<String>> = HashMap::new();
    let mut seen = Seen::default();
    for (file, doc) in docs {
        for item in items(*file, doc) {
            if let Some(key) = item
                .id()
                .and_then(ResourceId::parse)
                .and_then(|r| r.vnet_key())
                && let ir::Subscription::Known(sub) = &key.subscription
            {
                subscriptions
                    .entry((key.resource_group.to_lowercase(), key.name.to_lowercase()))
                    .or_default()
                    .insert(sub.clone());
            }
        }
    }
    for (file, doc) in docs {
        let display = ws.sources.get(*file).display.clone();
        let all = items(*file, doc);
        let mut peerings: Vec<(Item<'_>, Option<VnetId>)> = Vec::new();
        let mut known = 0usize;
        for item in &all {
            match item.kind() {
                Some(kind @ ("vnet" | "classic")) => {
                    known += 1;
                    let vnet = vnet(
                        item,
                        kind == "classic",
                        &display,
                        model,
                        &mut seen.finder,
                        &subscriptions,
                        &mut diags,
                    );
                    if let Some(v) = vnet
                        && item.props.get("virtualNetworkPeerings").is_some()
                    {
                        listed.insert(v);
                    }
                    for p in item
                        .props
                        .get("virtualNetworkPeerings")
                        .map(Node::items)
                        .unwrap_or_default()
                    {
                        peerings.push((Item::new(*file, p), vnet));
                    }
                }
                Some(_) => {
                    known += 1;
                    peerings.push((Item::new(*file, item.node), None));
                }
                None => {}
            }
        }
        if known == 0 {
            ws.notices.push(format!(
                "{display}: no VNets or peerings in this inventory (expected `az network vnet list -o json`, `az network vnet peering list -o json`, or REST resources)"
            ));
        }
        for (item, vnet) in peerings {
            // Destroyed by a checked plan: gone after apply.
            let destroyed = item
                .id()
                .and_then(ResourceId::parse)
                .filter(|r| r.path.len() == 2)
                .is_some_and(|r| {
                    ws.destroyed_peerings.contains(&(
                        r.resource_group.to_lowercase(),
                        r.path[0].1.to_lowercase(),
                        r.path[1].1.to_lowercase(),
                    ))
                });
            if !destroyed {
                deployed.extend(peering(
                    &item,
                    vnet,
                    &display,
                    model,
                    &mut seen,
                    code_peerings,
                    &mut diags,
                ));
            }
        }
    }
    for &i in &deployed {
        model.peerings[i].exists = true;
    }
    // A peering the code declares on a VNet whose peerings the inventory lists, but that
    // is not among them, is new: created with the address space as it will be.
    for i in 0..code_peerings {
        let p = &model.peerings[i];
        let local = p
            .local
            .resolved
            .or_else(|| seen.finder.find(model, p.local.target.known()?));
        if local.is_some_and(|v| listed.contains(&v)) && !deployed.contains(&i) {
            model.peerings[i].resync = true;
        }
    }
    ws.diagnostics.extend(diags);
}

/// How messages name an inventory object.
fn label(name: &str, display: &str, id: Option<&str>) -> String {
    match id {
        Some(id) => format!("{name} ({display}: {id})"),
        None => format!("{name} ({display})"),
    }
}

/// An inventory VNet: fills in a code VNet that is the same one, or joins the model.
/// Returns the model's VNet it describes, if any.
fn vnet(
    item: &Item<'_>,
    classic: bool,
    display: &str,
    model: &mut Model,
    finder: &mut super::link::Finder,
    subscriptions: &HashMap<(String, String), HashSet<String>>,
    diags: &mut Vec<crate::diagnostic::Diagnostic>,
) -> Option<VnetId> {
    let id = item.id()?;
    let rid = ResourceId::parse(id)?;
    let key = rid.vnet_key()?;
    let ambiguous = subscriptions
        .get(&(key.resource_group.to_lowercase(), key.name.to_lowercase()))
        .is_some_and(|subs| subs.len() > 1);
    let name = key.name.clone();
    let mut low = Lowering {
        label: label(&name, display, Some(id)),
        header: item.span(),
        diags,
        syntax: Syntax::Json,
    };
    let location = item.node.member("location").map(|m| Field {
        name: "location".to_string(),
        value: super::arm::literal(&m.value),
        span: Span::new(item.file, m.name_span.start..m.value.span.end),
        value_span: Span::new(item.file, m.value.span.clone()),
        element_spans: None,
        reported: false,
    });
    let location = low.location(location);
    let space = item.field(&["addressSpace", "addressPrefixes"]);
    let address_space = low.prefixes(space, None);
    let found = finder.find(model, &key).filter(|v| {
        // Only the VNet of this very subscription, when the name is in several.
        !ambiguous
            || matches!(
                model.vnets[v.0 as usize].subscription,
                ir::Subscription::Known(_)
            )
    });
    if let Some(existing) = found {
        // The code wins; the inventory completes what it does not know.
        let v = &mut model.vnets[existing.0 as usize];
        let mut filled = false;
        if v.address_space.prefixes.is_empty() && !v.address_space.complete {
            v.address_space = address_space;
            filled = true;
        } else if !v.existing && v.address_space.complete && address_space.complete {
            // Code that resizes a deployed VNet.
            let sorted = |s: &ir::AddressSpace| {
                let mut texts: Vec<String> = s.prefixes.iter().map(|p| p.text.clone()).collect();
                texts.sort();
                texts
            };
            if sorted(&v.address_space) != sorted(&address_space) {
                v.address_change = Some(
                    address_space
                        .prefixes
                        .iter()
                        .map(|p| p.text.clone())
                        .collect(),
                );
            }
        }
        if v.location.value.known().is_none() {
            v.location = location;
            filled = true;
        }
        if v.existing && filled {
            v.label = format!("{} (as in {display})", v.label);
        }
        gateway(item, existing, display, model);
        return Some(existing);
    }
    let vid = VnetId(model.vnets.len() as u32);
    model.vnets.push(Vnet {
        label: low.label.clone(),
        name: ir::Value::Known(name),
        resource_group: ir::Value::Known(key.resource_group.clone()),
        subscription: key.subscription.clone(),
        location,
        address_space,
        model: if classic {
            DeploymentModel::Classic
        } else {
            DeploymentModel::ResourceManager
        },
        // Described whole (address space, subnets, gateway): not an identity only.
        existing: false,
        origin: item.span(),
        address_change: None,
        deployed: true,
        subnets: Vec::new(),
        gateways: Vec::new(),
        // Its gateway is seen in its subnets only.
        gateways_unknown: item.props.get("subnets").is_none(),
    });
    gateway(item, vid, display, model);
    Some(vid)
}

/// A `GatewaySubnet` with IP configurations: the VNet has a gateway.
fn gateway(item: &Item<'_>, vnet: VnetId, display: &str, model: &mut Model) {
    if model.gateways.iter().any(|g| g.vnet.resolved == Some(vnet)) {
        return;
    }
    for subnet in item
        .props
        .get("subnets")
        .map(Node::items)
        .unwrap_or_default()
    {
        let props = subnet.get("properties").unwrap_or(subnet);
        let is_gateway_subnet = subnet
            .get("name")
            .and_then(Node::as_str)
            .is_some_and(|n| n.eq_ignore_ascii_case("GatewaySubnet"));
        let in_use = !props
            .get("ipConfigurations")
            .map(Node::items)
            .unwrap_or_default()
            .is_empty();
        // A Route Server in use: peerings may use it as the remote gateway ("Use the
        // remote virtual network's gateway or Route Server"), though peerlint does not
        // model it as a gateway.
        let is_route_server_subnet = subnet
            .get("name")
            .and_then(Node::as_str)
            .is_some_and(|n| n.eq_ignore_ascii_case("RouteServerSubnet"));
        if is_route_server_subnet && in_use {
            model.vnets[vnet.0 as usize].gateways_unknown = true;
        }
        if is_gateway_subnet && in_use {
            let span = Span::new(item.file, subnet.span.clone());
            let mut vref = VnetRef::new(ir::Value::Unknown, span);
            vref.resolved = Some(vnet);
            model.gateways.push(Gateway {
                label: format!("the gateway in its GatewaySubnet, as in {display}"),
                name: ir::Value::Unknown,
                kind: ir::Value::Unknown,
                sku: None,
                vnet: vref,
                origin: span,
            });
            return;
        }
    }
}

/// What the inventories have shown so far: the model's VNets by key, and the peerings
/// added (by local VNet and name).
#[derive(Default)]
struct Seen {
    finder: super::link::Finder,
    peerings: HashSet<(String, String)>,
}

/// An inventory peering, unless the code declares the same one (the code wins): returns
/// that code peering then.
fn peering(
    item: &Item<'_>,
    vnet: Option<VnetId>,
    display: &str,
    model: &mut Model,
    seen: &mut Seen,
    code_peerings: usize,
    diags: &mut Vec<crate::diagnostic::Diagnostic>,
) -> Option<usize> {
    let id = item.id();
    let name = item
        .node
        .get("name")
        .and_then(Node::as_str)
        .unwrap_or("(unnamed)")
        .to_string();
    // The local VNet: the one the peering is listed in, or its id's parent.
    let local_key = id.and_then(ResourceId::parse).and_then(|r| r.vnet_key());
    let local = match (vnet, &local_key) {
        (Some(v), _) => {
            let mut r = VnetRef::new(ir::Value::Unknown, item.span());
            r.resolved = Some(v);
            r
        }
        (None, Some(key)) => VnetRef::new(ir::Value::Known(key.clone()), item.span()),
        (None, None) => return None,
    };
    // Declared in the code already?
    let local_vnet = local
        .resolved
        .or_else(|| seen.finder.find(model, local_key.as_ref()?));
    let declared = model.peerings[..code_peerings].iter().position(|p| {
        p.name
            .known()
            .is_some_and(|n| n.eq_ignore_ascii_case(&name))
            && local_vnet.is_some()
            && (p.local.resolved == local_vnet
                || p.local
                    .target
                    .known()
                    .zip(local_key.as_ref())
                    .is_some_and(|(a, b)| {
                        a.name.eq_ignore_ascii_case(&b.name)
                            && a.resource_group.eq_ignore_ascii_case(&b.resource_group)
                    }))
    });
    if declared.is_some() {
        return declared;
    }
    // Listed already (`az network vnet list` and `az network vnet peering list` both
    // given): one peering.
    let local_id = match (&local_key, local_vnet.map(|v| model.vnet(v))) {
        (Some(k), _) => {
            let sub = match &k.subscription {
                ir::Subscription::Known(s) => s.as_str(),
                _ => "",
            };
            format!("{sub}/{}/{}", k.resource_group, k.name)
        }
        (None, Some(v)) => match (v.resource_group.known(), v.name.known()) {
            (Some(rg), Some(n)) => {
                let sub = match &v.subscription {
                    ir::Subscription::Known(s) => s.as_str(),
                    _ => "",
                };
                format!("{sub}/{rg}/{n}")
            }
            _ => format!("#{}", local_vnet.map_or(0, |v| v.0)),
        },
        (None, None) => return None,
    }
    .to_lowercase();
    if !seen.peerings.insert((local_id, name.to_lowercase())) {
        return None;
    }
    // `vnet/peering (inventory.json)`: the id is at the span.
    let shown = match &local_key {
        Some(k) => format!("{}/{name}", k.name),
        None => name.clone(),
    };
    let mut low = Lowering {
        label: label(&shown, display, None),
        header: item.span(),
        diags,
        syntax: Syntax::Json,
    };
    let remote = item.field(&["remoteVirtualNetwork", "id"]);
    let remote = low.vnet_ref(remote, "a virtual network id");
    // A peering states both VNets' address spaces: enough to know a VNet the inventory
    // does not list otherwise.
    let complete = item
        .props
        .get("peerCompleteVnets")
        .is_none_or(|v| v.kind != Json::Bool(false));
    for (target, keys) in [
        (
            remote.target.known().cloned(),
            ["remoteVirtualNetworkAddressSpace", "remoteAddressSpace"],
        ),
        (
            local_key.clone(),
            ["localVirtualNetworkAddressSpace", "localAddressSpace"],
        ),
    ] {
        let Some(key) = target else {
            continue;
        };
        let space = keys
            .iter()
            .enumerate()
            .filter(|(i, _)| *i == 0 || complete)
            .find_map(|(_, k)| item.field(&[k, "addressPrefixes"]));
        let Some(space) = space else {
            continue;
        };
        if let Some(v) = seen.finder.find(model, &key) {
            // A VNet the code only reads: the peering says its address space.
            let v = &mut model.vnets[v.0 as usize];
            if v.address_space.prefixes.is_empty() && !v.address_space.complete {
                v.address_space = low.prefixes(Some(space), None);
                if v.existing {
                    v.label = format!("{} (as in {display})", v.label);
                }
            }
            continue;
        }
        let address_space = low.prefixes(Some(space), None);
        model.vnets.push(Vnet {
            label: label(&key.name, display, None),
            name: ir::Value::Known(key.name.clone()),
            resource_group: ir::Value::Known(key.resource_group.clone()),
            subscription: key.subscription.clone(),
            location: ir::Spanned {
                value: ir::Value::Unknown,
                span: item.span(),
            },
            address_space,
            model: key.model.unwrap_or(DeploymentModel::ResourceManager),
            existing: true,
            origin: item.span(),
            address_change: None,
            deployed: true,
            subnets: Vec::new(),
            gateways: Vec::new(),
            gateways_unknown: false,
        });
    }
    let name_field = item.node.member("name").map(|m| Field {
        name: "name".to_string(),
        value: Value::String(name.clone()),
        span: Span::new(item.file, m.name_span.start..m.value.span.end),
        value_span: Span::new(item.file, m.value.span.clone()),
        element_spans: None,
        reported: false,
    });
    let settings: Vec<(&str, Field)> = REST_PEERING
        .settings()
        .into_iter()
        .filter_map(|n| Some((n, item.field(&[n])?)))
        .collect();
    low.push_peering(model, name_field, local, remote, &REST_PEERING, |_, n| {
        settings
            .iter()
            .find(|(k, _)| *k == n)
            .map(|(_, f)| f.clone())
    });
    if let Some(p) = model.peerings.last_mut() {
        p.deployed = true;
        p.exists = true;
    }
    None
}
