//! The linker: resolves every VNet reference in the model to the VNet it names.
//!
//! References match VNets by resource group and name (case-insensitively), and by
//! deployment model when the reference says which. The subscription decides between
//! candidates: an exact match wins; otherwise a reference whose subscription is symbolic
//! or unknown matches when exactly one candidate is not known to be elsewhere.

use crate::ir::{Model, Subscription, VnetId, VnetKey, VnetRef};
use std::collections::HashMap;

type Index = HashMap<(String, String), Vec<VnetId>>;

/// Adds the VNet `i` to the index, by resource group and name (lowercase).
fn insert(index: &mut Index, model: &Model, i: usize) {
    let v = &model.vnets[i];
    if let (Some(rg), Some(name)) = (v.resource_group.known(), v.name.known()) {
        index
            .entry((rg.to_lowercase(), name.to_lowercase()))
            .or_default()
            .push(VnetId(i as u32));
    }
}

/// The VNets by resource group and name.
fn index(model: &Model) -> Index {
    let mut index: Index = HashMap::new();
    for i in 0..model.vnets.len() {
        insert(&mut index, model, i);
    }
    index
}

pub(crate) fn link(model: &mut Model) {
    let index = index(model);
    let resolve = |model: &Model, r: &VnetRef| -> Option<VnetId> {
        r.resolved
            .or_else(|| resolve(model, &index, r.target.known()?))
    };
    let peerings: Vec<(Option<VnetId>, Option<VnetId>)> = model
        .peerings
        .iter()
        .map(|p| (resolve(model, &p.local), resolve(model, &p.remote)))
        .collect();
    for (p, (local, remote)) in model.peerings.iter_mut().zip(peerings) {
        p.local.resolved = local;
        p.remote.resolved = remote;
    }
    let subnets: Vec<Option<VnetId>> = model
        .subnets
        .iter()
        .map(|s| resolve(model, &s.vnet))
        .collect();
    for (i, vnet) in subnets.into_iter().enumerate() {
        model.subnets[i].vnet.resolved = vnet;
        if let Some(v) = vnet {
            model.vnets[v.0 as usize]
                .subnets
                .push(crate::ir::SubnetId(i as u32));
        }
    }
    let gateways: Vec<Option<VnetId>> = model
        .gateways
        .iter()
        .map(|g| resolve(model, &g.vnet))
        .collect();
    for (i, vnet) in gateways.into_iter().enumerate() {
        model.gateways[i].vnet.resolved = vnet;
        if let Some(v) = vnet {
            model.vnets[v.0 as usize]
                .gateways
                .push(crate::ir::GatewayId(i as u32));
        }
    }
}

/// Links the references of the objects in `objects` to the VNets among them first: a
/// plan's peerings reach the plan's own VNets even when another plan of the run describes
/// the same ones (a dev and a prod plan that read one hub).
pub(crate) fn link_within(model: &mut Model, objects: &crate::frontend::Objects) {
    let mut index: Index = HashMap::new();
    for i in objects.vnets.clone() {
        insert(&mut index, model, i);
    }
    let find = |model: &Model, r: &VnetRef| {
        r.resolved
            .or_else(|| resolve(model, &index, r.target.known()?))
    };
    for i in objects.peerings.clone() {
        let (l, r) = (
            find(model, &model.peerings[i].local),
            find(model, &model.peerings[i].remote),
        );
        model.peerings[i].local.resolved = l;
        model.peerings[i].remote.resolved = r;
    }
    for i in objects.subnets.clone() {
        let v = find(model, &model.subnets[i].vnet);
        model.subnets[i].vnet.resolved = v;
    }
    for i in objects.gateways.clone() {
        let v = find(model, &model.gateways[i].vnet);
        model.gateways[i].vnet.resolved = v;
    }
}

/// Finds VNets by key as the linker would resolve them, while VNets are added to the
/// model: the index is built once and extended with the VNets added since.
#[derive(Default)]
pub(crate) struct Finder {
    index: Index,
    indexed: usize,
}

impl Finder {
    /// The one VNet of the model a key names, as the linker would resolve it.
    pub(crate) fn find(&mut self, model: &Model, key: &VnetKey) -> Option<VnetId> {
        for i in self.indexed..model.vnets.len() {
            insert(&mut self.index, model, i);
        }
        self.indexed = model.vnets.len();
        resolve(model, &self.index, key)
    }
}

fn resolve(model: &Model, index: &Index, key: &VnetKey) -> Option<VnetId> {
    let candidates: Vec<VnetId> = index
        .get(&(key.resource_group.to_lowercase(), key.name.to_lowercase()))?
        .iter()
        .copied()
        .filter(|&id| key.model.is_none_or(|m| model.vnet(id).model == m))
        .collect();
    let exact: Vec<VnetId> = candidates
        .iter()
        .copied()
        .filter(|&id| same(&key.subscription, &model.vnet(id).subscription))
        .collect();
    let declared: Vec<VnetId> = exact
        .iter()
        .copied()
        .filter(|&id| !model.vnet(id).existing)
        .collect();
    match (exact.len(), declared.len()) {
        (1, _) => return Some(exact[0]),
        (_, 1) => return Some(declared[0]),
        (0, _) => {}
        _ => return None,
    }
    let mut compatible: Vec<VnetId> = candidates
        .into_iter()
        .filter(|&id| !different(&key.subscription, &model.vnet(id).subscription))
        .collect();
    if compatible.len() > 1 {
        // A VNet declared here wins over the same VNet only read (a data source).
        compatible.retain(|&id| !model.vnet(id).existing);
    }
    (compatible.len() == 1).then(|| compatible[0])
}

/// Certainly the same subscription.
fn same(a: &Subscription, b: &Subscription) -> bool {
    a.certainly_same(b)
}

/// Certainly different subscriptions.
fn different(a: &Subscription, b: &Subscription) -> bool {
    matches!((a, b), (Subscription::Known(x), Subscription::Known(y)) if x != y)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::*;
    use crate::source::FileId;

    fn span() -> Span {
        Span::new(FileId(0), 0..0)
    }

    fn vnet(sub: Subscription, rg: &str, name: &str) -> Vnet {
        Vnet {
            label: name.into(),
            name: Value::Known(name.into()),
            resource_group: Value::Known(rg.into()),
            subscription: sub,
            location: Spanned {
                value: Value::Unknown,
                span: span(),
            },
            address_space: AddressSpace::unknown(),
            model: DeploymentModel::ResourceManager,
            existing: false,
            origin: span(),
            address_change: None,
            deployed: false,
            subnets: vec![],
            gateways: vec![],
            gateways_unknown: false,
        }
    }

    fn key(sub: Subscription, rg: &str, name: &str) -> VnetKey {
        VnetKey {
            subscription: sub,
            resource_group: rg.into(),
            name: name.into(),
            model: None,
        }
    }

    #[test]
    fn subscriptions_decide_between_candidates() {
        let mut m = Model::default();
        m.vnets
            .push(vnet(Subscription::Known("a".into()), "RG", "Hub"));
        m.vnets
            .push(vnet(Subscription::Known("b".into()), "rg", "hub"));
        m.vnets.push(vnet(Subscription::Symbolic(0), "rg", "spoke"));
        let mut index: Index = HashMap::new();
        for (i, v) in m.vnets.iter().enumerate() {
            index
                .entry((
                    v.resource_group.known().unwrap().to_lowercase(),
                    v.name.known().unwrap().to_lowercase(),
                ))
                .or_default()
                .push(VnetId(i as u32));
        }
        let r = |k: VnetKey| resolve(&m, &index, &k);
        assert_eq!(
            r(key(Subscription::Known("b".into()), "rg", "HUB")),
            Some(VnetId(1))
        );
        // Two candidates and nothing to tell them apart: not resolved.
        assert_eq!(r(key(Subscription::Symbolic(1), "rg", "hub")), None);
        assert_eq!(r(key(Subscription::Known("c".into()), "rg", "hub")), None);
        // One candidate, subscriptions not known to differ.
        assert_eq!(
            r(key(Subscription::Known("x".into()), "rg", "spoke")),
            Some(VnetId(2))
        );
        assert_eq!(
            r(key(Subscription::Unknown, "rg", "spoke")),
            Some(VnetId(2))
        );
        assert_eq!(r(key(Subscription::Unknown, "rg", "nope")), None);
    }
}
