//! Azure resource ids: parsing `/subscriptions/…/resourceGroups/…/providers/…` into parts.
//!
//! Ids compare case-insensitively; segments keep their written case for messages. Parts
//! a frontend could not evaluate arrive as [`crate::ir::token`] markers and parse to
//! unknown parts.

use crate::ir::{DeploymentModel, Subscription, Value, VnetKey, token};

/// The parts of a resource id below a resource group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceId {
    pub subscription: Subscription,
    pub resource_group: String,
    /// `Microsoft.Network`, as written.
    pub namespace: String,
    /// `(type, name)` from the top-level resource down: `[("virtualNetworks", "hub"),
    /// ("subnets", "GatewaySubnet")]`.
    pub path: Vec<(String, String)>,
}

impl ResourceId {
    /// Parses a resource-group-scoped resource id. Returns `None` for anything else
    /// (including ids whose resource group or resource names are not known).
    pub fn parse(id: &str) -> Option<ResourceId> {
        let trimmed = id.trim().trim_end_matches('/');
        let mut segs = trimmed.strip_prefix('/')?.split('/');
        if !segs.next()?.eq_ignore_ascii_case("subscriptions") {
            return None;
        }
        let subscription = token::subscription(segs.next()?);
        if !segs.next()?.eq_ignore_ascii_case("resourceGroups") {
            return None;
        }
        let resource_group = known_segment(segs.next()?)?;
        if !segs.next()?.eq_ignore_ascii_case("providers") {
            return None;
        }
        let namespace = known_segment(segs.next()?)?;
        let rest: Vec<&str> = segs.collect();
        if rest.is_empty() || !rest.len().is_multiple_of(2) {
            return None;
        }
        let mut path = Vec::with_capacity(rest.len() / 2);
        for pair in rest.chunks(2) {
            path.push((known_segment(pair[0])?, known_segment(pair[1])?));
        }
        Some(ResourceId {
            subscription,
            resource_group,
            namespace,
            path,
        })
    }

    /// Whether the top-level resource is of `namespace/type` (case-insensitively).
    pub fn is_type(&self, namespace: &str, ty: &str) -> bool {
        self.namespace.eq_ignore_ascii_case(namespace)
            && self
                .path
                .first()
                .is_some_and(|(t, _)| t.eq_ignore_ascii_case(ty))
    }

    /// The VNet this id names or lies in (a VNet, one of its subnets or peerings), and
    /// whether it is classic.
    pub fn vnet_key(&self) -> Option<VnetKey> {
        let model = if self.is_type("Microsoft.Network", "virtualNetworks") {
            DeploymentModel::ResourceManager
        } else if self.is_type("Microsoft.ClassicNetwork", "virtualNetworks") {
            DeploymentModel::Classic
        } else {
            return None;
        };
        Some(VnetKey {
            subscription: self.subscription.clone(),
            resource_group: self.resource_group.clone(),
            name: self.path[0].1.clone(),
            model: Some(model),
        })
    }

    /// For a subnet id, the subnet's name.
    pub fn subnet_name(&self) -> Option<&str> {
        match self.path.get(1) {
            Some((t, name)) if t.eq_ignore_ascii_case("subnets") => Some(name),
            _ => None,
        }
    }
}

/// The subscription and name of a resource group id (`/subscriptions/…/resourceGroups/…`).
pub fn parse_resource_group(id: &str) -> Option<(Subscription, String)> {
    let trimmed = id.trim().trim_end_matches('/');
    let mut segs = trimmed.strip_prefix('/')?.split('/');
    if !segs.next()?.eq_ignore_ascii_case("subscriptions") {
        return None;
    }
    let subscription = token::subscription(segs.next()?);
    if !segs.next()?.eq_ignore_ascii_case("resourceGroups") {
        return None;
    }
    let rg = known_segment(segs.next()?)?;
    segs.next().is_none().then_some((subscription, rg))
}

/// A VNet key from an id string that must name a VNet (or a resource inside one).
pub fn vnet_key_of(id: &str) -> Value<VnetKey> {
    ResourceId::parse(id).and_then(|r| r.vnet_key()).into()
}

/// A segment that names something: known text, or text built from symbols; not one with
/// an unknown part.
fn known_segment(s: &str) -> Option<String> {
    if s.is_empty() || token::has_unknown(s) {
        None
    } else {
        Some(s.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_vnet_and_subnet_ids() {
        let id = ResourceId::parse(
            "/subscriptions/0000-AB/resourceGroups/rg-hub/providers/Microsoft.Network/virtualNetworks/vnet-hub/subnets/GatewaySubnet",
        )
        .unwrap();
        assert_eq!(id.subscription, Subscription::Known("0000-ab".into()));
        assert_eq!(id.subnet_name(), Some("GatewaySubnet"));
        let key = id.vnet_key().unwrap();
        assert_eq!(key.name, "vnet-hub");
        assert_eq!(key.resource_group, "rg-hub");
        assert_eq!(key.model, Some(DeploymentModel::ResourceManager));
    }

    #[test]
    fn segment_names_are_case_insensitive_and_classic_is_recognised() {
        let id = ResourceId::parse(
            "/SUBSCRIPTIONS/s/RESOURCEGROUPS/rg/PROVIDERS/microsoft.classicnetwork/VirtualNetworks/old/",
        )
        .unwrap();
        assert_eq!(id.vnet_key().unwrap().model, Some(DeploymentModel::Classic));
    }

    #[test]
    fn parses_resource_group_ids() {
        assert_eq!(
            parse_resource_group("/subscriptions/S/resourceGroups/rg-hub"),
            Some((Subscription::Known("s".into()), "rg-hub".into()))
        );
        assert_eq!(
            parse_resource_group("/subscriptions/S/resourceGroups/rg/providers/x/y/z"),
            None
        );
    }

    #[test]
    fn rejects_other_shapes() {
        assert!(ResourceId::parse("vnet-hub").is_none());
        assert!(ResourceId::parse("/subscriptions/s/resourceGroups/rg").is_none());
        assert!(
            ResourceId::parse(
                "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks"
            )
            .is_none()
        );
        let other = ResourceId::parse(
            "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/publicIPAddresses/ip",
        )
        .unwrap();
        assert!(other.vnet_key().is_none());
    }

    #[test]
    fn unknown_parts_keep_what_is_known() {
        let sub = token::symbol(0);
        let id = format!(
            "/subscriptions/{sub}/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/hub"
        );
        assert_eq!(
            vnet_key_of(&id).known().unwrap().subscription,
            Subscription::Symbolic(0)
        );
        let unknown_sub = format!(
            "/subscriptions/{}/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/hub",
            token::UNKNOWN
        );
        assert_eq!(
            vnet_key_of(&unknown_sub).known().unwrap().subscription,
            Subscription::Unknown
        );
        let unknown_rg = format!(
            "/subscriptions/s/resourceGroups/{}/providers/Microsoft.Network/virtualNetworks/hub",
            token::UNKNOWN
        );
        assert_eq!(vnet_key_of(&unknown_rg), Value::Unknown);
    }
}
