//! Lowering `azapi_resource`: VNets (Resource Manager and classic), subnets, gateways and
//! peerings declared by their REST type, with their properties in `body` (an HCL object,
//! or `jsonencode()` of one).

use super::lower::{Arg, Cx};
use crate::frontend::convert::REST_PEERING;
use crate::frontend::value::Value;
use crate::ir::{self, AddressSpace, DeploymentModel, Model, Subnet, Vnet, VnetId, VnetRef};
use crate::resource_id::parse_resource_group;

pub(super) fn lower(cx: &mut Cx<'_, '_, '_, '_>, model: &mut Model) {
    let body = cx.body();
    let ty = cx.attr(body, "type");
    let ir::Value::Known(ty) = cx.string(ty).0 else {
        return;
    };
    let ty = ty
        .split('@')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    match ty.as_str() {
        "microsoft.network/virtualnetworks" => vnet(cx, model, DeploymentModel::ResourceManager),
        "microsoft.classicnetwork/virtualnetworks" => vnet(cx, model, DeploymentModel::Classic),
        "microsoft.network/virtualnetworks/subnets" => subnet(cx, model),
        "microsoft.network/virtualnetworks/virtualnetworkpeerings" => peering(cx, model),
        "microsoft.network/virtualnetworkgateways" => gateway(cx, model),
        _ => {}
    }
}

/// `body.properties`: unknown when `body` is, `None` when it is not written.
fn props<'a>(cx: &mut Cx<'_, '_, '_, 'a>) -> Option<Arg<'a>> {
    let mut body = cx.attr(cx.body(), "body")?;
    // azapi 1.x takes `jsonencode(…)`: a JSON string.
    if let Value::String(text) = &body.value
        && let Ok(json) = serde_json::from_str::<serde_json::Value>(text)
    {
        body.value = Value::from_json(&json);
    }
    body.get("properties", cx.file())
}

fn get<'a>(cx: &Cx<'_, '_, '_, '_>, arg: &Option<Arg<'a>>, path: &[&str]) -> Option<Arg<'a>> {
    let mut cur = arg.clone()?;
    for key in path {
        cur = cur.get(key, cx.file())?;
    }
    Some(cur)
}

fn vnet(cx: &mut Cx<'_, '_, '_, '_>, model: &mut Model, kind: DeploymentModel) {
    let body = cx.body();
    let name = cx.attr(body, "name");
    let (name, _) = cx.identity(name, Some("name"));
    let parent = cx.attr(body, "parent_id");
    let (subscription, resource_group) = match parent.as_ref().and_then(|p| cx.id_text(p)) {
        Some(text) => match parse_resource_group(&text) {
            Some((sub, rg)) => (sub, ir::Value::Known(rg)),
            None => (ir::Subscription::Unknown, ir::Value::Unknown),
        },
        None => (ir::Subscription::Unknown, ir::Value::Unknown),
    };
    let location = cx.attr(body, "location");
    let location = cx.location(location);
    let props = props(cx);
    let prefixes = get(cx, &props, &["addressSpace", "addressPrefixes"]);
    let address_space = match (&props, prefixes) {
        (Some(_), Some(list)) => cx.prefixes(Some(list), None),
        _ => AddressSpace::unknown(),
    };
    let id = VnetId(model.vnets.len() as u32);
    model.vnets.push(Vnet {
        label: cx.label().to_string(),
        name,
        resource_group,
        subscription,
        location,
        address_space,
        model: kind,
        existing: false,
        origin: cx.header(),
        address_change: None,
        deployed: false,
        subnets: Vec::new(),
        gateways: Vec::new(),
        gateways_unknown: false,
    });
    // Peerings written inside the VNet's body (`properties.virtualNetworkPeerings`).
    if let Some(peerings) = get(cx, &props, &["virtualNetworkPeerings"]) {
        let file = cx.file();
        for item in peerings.items(file) {
            let name = item.get("name", file).map(|a| a.field(file));
            let pp = item.get("properties", file);
            let remote = get(cx, &pp, &["remoteVirtualNetwork", "id"]);
            let remote = cx.vnet_ref(remote, "a virtual network id");
            let fields: Vec<(String, crate::frontend::convert::Field)> =
                pp.iter()
                    .flat_map(|p| {
                        REST_PEERING.settings().into_iter().filter_map(move |k| {
                            p.get(k, file).map(|a| (k.to_string(), a.field(file)))
                        })
                    })
                    .collect();
            let mut local = VnetRef::new(ir::Value::Unknown, item.span);
            local.resolved = Some(id);
            // Messages name it after its VNet: `azapi_resource.hub peering 'hub-to-spoke'`.
            let shown = match name.as_ref().map(|f| &f.value) {
                Some(crate::frontend::value::Value::String(n)) => {
                    format!("{} peering '{n}'", cx.label())
                }
                _ => format!("{} peering", cx.label()),
            };
            let outer = std::mem::replace(&mut cx.low.label, shown);
            let header = std::mem::replace(&mut cx.low.header, item.span);
            cx.low
                .push_peering(model, name, local, remote, &REST_PEERING, |_, k| {
                    fields.iter().find(|(n, _)| n == k).map(|(_, f)| f.clone())
                });
            cx.low.label = outer;
            cx.low.header = header;
            if let Some(p) = model.peerings.last_mut() {
                p.renames_replace = true;
            }
        }
    }
    let Some(subnets) = get(cx, &props, &["subnets"]) else {
        return;
    };
    for item in subnets.items(cx.file()) {
        let name = item.get("name", cx.file());
        let (name, _) = cx.identity(name, None);
        let sp = item.get("properties", cx.file());
        let list = get(cx, &sp, &["addressPrefixes"]);
        let single = get(cx, &sp, &["addressPrefix"]);
        let address_prefixes = cx.prefixes(list, single);
        let mut vnet = VnetRef::new(ir::Value::Unknown, item.span);
        vnet.resolved = Some(id);
        model.subnets.push(Subnet {
            label: Subnet::inline_label(cx.label(), &name),
            name,
            vnet,
            address_prefixes,
            origin: item.span,
        });
    }
}

fn subnet(cx: &mut Cx<'_, '_, '_, '_>, model: &mut Model) {
    let body = cx.body();
    let name = cx.attr(body, "name");
    let (name, _) = cx.identity(name, Some("name"));
    let parent = cx.attr(body, "parent_id");
    let vnet = cx.vnet_ref(parent, "a virtual network id");
    let props = props(cx);
    let list = get(cx, &props, &["addressPrefixes"]);
    let single = get(cx, &props, &["addressPrefix"]);
    let address_prefixes = if props.is_some() {
        cx.prefixes(list, single)
    } else {
        AddressSpace::unknown()
    };
    model.subnets.push(Subnet {
        label: cx.label().to_string(),
        name,
        vnet,
        address_prefixes,
        origin: cx.header(),
    });
}

fn gateway(cx: &mut Cx<'_, '_, '_, '_>, model: &mut Model) {
    let name = cx.attr(cx.body(), "name");
    let props = props(cx);
    let kind = get(cx, &props, &["gatewayType"]);
    let sku = get(cx, &props, &["sku", "name"]);
    let file = cx.file();
    let subnets = match get(cx, &props, &["ipConfigurations"]) {
        Some(configs) => configs
            .items(file)
            .into_iter()
            .filter_map(|c| get(cx, &Some(c), &["properties", "subnet", "id"]))
            .map(|a| a.field(file))
            .collect(),
        None => Vec::new(),
    };
    let field = |a: Option<Arg<'_>>| a.map(|a| a.field(file));
    let (name, kind, sku) = (field(name), field(kind), field(sku));
    cx.low.push_gateway(model, name, kind, sku, subnets);
}

fn peering(cx: &mut Cx<'_, '_, '_, '_>, model: &mut Model) {
    let body = cx.body();
    let name = cx.attr(body, "name");
    let parent = cx.attr(body, "parent_id");
    let local = cx.vnet_ref(parent, "a virtual network id");
    let props = props(cx);
    let remote = get(cx, &props, &["remoteVirtualNetwork", "id"]);
    let remote = cx.vnet_ref(remote, "a virtual network id");
    let file = cx.file();
    let name = name.map(|a| a.field(file));
    let fields: Vec<(String, crate::frontend::convert::Field)> = props
        .iter()
        .flat_map(|p| {
            REST_PEERING
                .settings()
                .into_iter()
                .filter_map(move |k| p.get(k, file).map(|a| (k.to_string(), a.field(file))))
        })
        .collect();
    cx.low
        .push_peering(model, name, local, remote, &REST_PEERING, |_, k| {
            fields.iter().find(|(n, _)| n == k).map(|(_, f)| f.clone())
        });
    if let Some(p) = model.peerings.last_mut() {
        p.renames_replace = true;
    }
}
