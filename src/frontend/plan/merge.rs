//! A plan beside its sources: each resource the plan and the Terraform frontend both
//! lowered becomes one object, with the plan's values (Terraform resolved what static
//! evaluation could not: `-var` values, registry modules, computed attributes) and the
//! sources' spans (findings point at `.tf` lines). Plan objects without a counterpart in
//! the sources stay, pointing into the plan.

use crate::frontend::Objects;
use crate::ir::{
    AddressSpace, Flag, Gateway, Model, Peering, Prefix, Span, Subnet, Value, Vnet, VnetId, VnetRef,
};
use std::collections::{HashMap, HashSet};

/// Merges the plan's objects (`plan`, at the end of the model) into the source root's
/// (`source`). Returns the labels of the plan objects that were merged.
pub(super) fn merge(model: &mut Model, source: &Objects, plan: &Objects) -> HashSet<String> {
    let mut merged = HashSet::new();
    let index = |labels: &mut dyn Iterator<Item = (usize, &String)>| {
        let mut map: HashMap<String, usize> = HashMap::new();
        for (i, label) in labels {
            map.entry(label.clone()).or_insert(i);
        }
        map
    };
    let vnets = index(&mut source.vnets.clone().map(|i| (i, &model.vnets[i].label)));
    let peerings = index(
        &mut source
            .peerings
            .clone()
            .map(|i| (i, &model.peerings[i].label)),
    );
    let gateways = index(
        &mut source
            .gateways
            .clone()
            .map(|i| (i, &model.gateways[i].label)),
    );
    let subnets = index(
        &mut source
            .subnets
            .clone()
            .filter(|&i| model.subnets[i].vnet.resolved.is_none())
            .map(|i| (i, &model.subnets[i].label)),
    );

    // VNets, and their inline subnets.
    let mut vnet_map: HashMap<usize, usize> = HashMap::new();
    let mut drop_subnets: HashSet<usize> = HashSet::new();
    for p in plan.vnets.clone() {
        let Some(&s) = vnets.get(&model.vnets[p].label) else {
            continue;
        };
        vnet_map.insert(p, s);
        merged.insert(model.vnets[p].label.clone());
        let from = model.vnets[p].clone();
        merge_vnet(&mut model.vnets[s], from);
        let inline = |model: &Model, range: std::ops::Range<usize>, v: usize| -> Vec<usize> {
            range
                .filter(|&i| model.subnets[i].vnet.resolved == Some(VnetId(v as u32)))
                .collect()
        };
        let (ps, ss) = (
            inline(model, plan.subnets.clone(), p),
            inline(model, source.subnets.clone(), s),
        );
        if ps.len() == ss.len() {
            for (pi, si) in ps.iter().zip(&ss) {
                let from = model.subnets[*pi].clone();
                merge_subnet(&mut model.subnets[*si], from);
                drop_subnets.insert(*pi);
            }
        } else {
            // The sources could not tell the blocks (`dynamic` over an unknown value):
            // the plan's stand, at the VNet's block.
            let origin = model.vnets[s].origin;
            for si in ss {
                model.subnets[si].address_prefixes = AddressSpace::unknown();
            }
            for pi in ps {
                model.subnets[pi].origin = origin;
                model.subnets[pi].vnet.span = origin;
            }
        }
    }
    for p in plan.subnets.clone() {
        if drop_subnets.contains(&p) {
            continue;
        }
        if model.subnets[p].vnet.resolved.is_none()
            && let Some(&s) = subnets.get(&model.subnets[p].label)
        {
            merged.insert(model.subnets[p].label.clone());
            let from = model.subnets[p].clone();
            merge_subnet(&mut model.subnets[s], from);
            drop_subnets.insert(p);
        }
    }
    let mut drop_gateways = HashSet::new();
    for p in plan.gateways.clone() {
        if let Some(&s) = gateways.get(&model.gateways[p].label) {
            merged.insert(model.gateways[p].label.clone());
            let from = model.gateways[p].clone();
            merge_gateway(&mut model.gateways[s], from);
            drop_gateways.insert(p);
        }
    }
    let mut drop_peerings = HashSet::new();
    for p in plan.peerings.clone() {
        if let Some(&s) = peerings.get(&model.peerings[p].label) {
            merged.insert(model.peerings[p].label.clone());
            let from = model.peerings[p].clone();
            merge_peering(&mut model.peerings[s], from);
            drop_peerings.insert(p);
        }
    }

    // Remove the merged plan objects; the plan's other VNets move down.
    let mut new_ids: HashMap<usize, usize> = HashMap::new();
    let mut kept = Vec::new();
    for (i, v) in model.vnets.drain(plan.vnets.clone()).enumerate() {
        let old = plan.vnets.start + i;
        match vnet_map.get(&old) {
            Some(&s) => {
                new_ids.insert(old, s);
            }
            None => {
                new_ids.insert(old, plan.vnets.start + kept.len());
                kept.push(v);
            }
        }
    }
    model.vnets.extend(kept);
    let remap = |r: &mut VnetRef| {
        if let Some(id) = r.resolved
            && let Some(&n) = new_ids.get(&(id.0 as usize))
        {
            r.resolved = Some(VnetId(n as u32));
        }
    };
    let subnets: Vec<Subnet> = model.subnets.drain(plan.subnets.clone()).collect();
    for (i, mut s) in subnets.into_iter().enumerate() {
        if !drop_subnets.contains(&(plan.subnets.start + i)) {
            remap(&mut s.vnet);
            model.subnets.push(s);
        }
    }
    let gateways: Vec<Gateway> = model.gateways.drain(plan.gateways.clone()).collect();
    for (i, mut g) in gateways.into_iter().enumerate() {
        if !drop_gateways.contains(&(plan.gateways.start + i)) {
            remap(&mut g.vnet);
            model.gateways.push(g);
        }
    }
    let peerings: Vec<Peering> = model.peerings.drain(plan.peerings.clone()).collect();
    for (i, mut p) in peerings.into_iter().enumerate() {
        if !drop_peerings.contains(&(plan.peerings.start + i)) {
            remap(&mut p.local);
            remap(&mut p.remote);
            model.peerings.push(p);
        }
    }
    merged
}

/// The plan's value where it knows one, else the sources'.
fn known<T>(plan: Value<T>, source: &mut Value<T>) {
    if let Value::Known(v) = plan {
        *source = Value::Known(v);
    }
}

/// The plan's prefixes, where the sources write them (element by element when the
/// sources write as many).
fn space(plan: AddressSpace, source: &mut AddressSpace, fallback: Span) {
    if !plan.complete && plan.prefixes.is_empty() {
        return;
    }
    let spans: Vec<Span> = if source.prefixes.len() == plan.prefixes.len() {
        source.prefixes.iter().map(|p| p.span).collect()
    } else {
        vec![source.span.unwrap_or(fallback); plan.prefixes.len()]
    };
    *source = AddressSpace {
        prefixes: plan
            .prefixes
            .iter()
            .zip(spans)
            .map(|(p, span)| Prefix::new(&p.text, span))
            .collect(),
        complete: plan.complete,
        span: source.span,
    };
}

fn merge_vnet(source: &mut Vnet, plan: Vnet) {
    if plan.address_change.is_some() {
        source.address_change = plan.address_change;
    }
    known(plan.name, &mut source.name);
    known(plan.resource_group, &mut source.resource_group);
    if matches!(plan.subscription, crate::ir::Subscription::Known(_)) {
        source.subscription = plan.subscription;
    }
    known(plan.location.value, &mut source.location.value);
    let fallback = source.origin;
    space(plan.address_space, &mut source.address_space, fallback);
}

fn merge_subnet(source: &mut Subnet, plan: Subnet) {
    known(plan.name, &mut source.name);
    if plan.vnet.target.known().is_some() {
        source.vnet.target = plan.vnet.target;
    }
    let fallback = source.origin;
    space(
        plan.address_prefixes,
        &mut source.address_prefixes,
        fallback,
    );
}

fn merge_gateway(source: &mut Gateway, plan: Gateway) {
    known(plan.name, &mut source.name);
    known(plan.kind, &mut source.kind);
    match (plan.sku, &mut source.sku) {
        (Some(p), Some(s)) => known(p.value, &mut s.value),
        (Some(p), None) => source.sku = Some(p),
        _ => {}
    }
    if plan.vnet.target.known().is_some() {
        source.vnet.target = plan.vnet.target;
    }
}

fn flag(plan: Flag, source: &mut Flag) {
    known(plan.value, &mut source.value);
}

fn merge_peering(source: &mut Peering, plan: Peering) {
    source.resync |= plan.resync;
    known(plan.name, &mut source.name);
    for (p, s) in [
        (plan.local, &mut source.local),
        (plan.remote, &mut source.remote),
    ] {
        if p.target.known().is_some() {
            s.target = p.target;
        }
    }
    flag(
        plan.allow_virtual_network_access,
        &mut source.allow_virtual_network_access,
    );
    flag(
        plan.allow_forwarded_traffic,
        &mut source.allow_forwarded_traffic,
    );
    flag(
        plan.allow_gateway_transit,
        &mut source.allow_gateway_transit,
    );
    flag(plan.use_remote_gateways, &mut source.use_remote_gateways);
    flag(plan.peer_complete_vnets, &mut source.peer_complete_vnets);
    flag(plan.only_ipv6, &mut source.only_ipv6);
    if let Some(p) = plan.local_subnet_names {
        match &mut source.local_subnet_names {
            Some(s) => known(p.value, &mut s.value),
            None => source.local_subnet_names = Some(p),
        }
    }
    if let Some(p) = plan.remote_subnet_names {
        match &mut source.remote_subnet_names {
            Some(s) => known(p.value, &mut s.value),
            None => source.remote_subnet_names = Some(p),
        }
    }
}
