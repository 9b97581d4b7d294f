//! What peerlint knows of the azurerm provider's schema: how each resource's `id` is built
//! from its arguments, which arguments are computed, and the argument defaults.

/// How the `id` of an azurerm resource or data source is formed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum IdShape {
    /// `/subscriptions/{sub}`
    Subscription,
    /// `/subscriptions/{sub}/resourceGroups/{name}`
    ResourceGroup,
    /// `/subscriptions/{sub}/resourceGroups/{rg}/providers/{ty}/{name}`
    Top(&'static str),
    /// `/subscriptions/{sub}/resourceGroups/{rg}/providers/{parent_ty}/{parent}/{child}/{name}`,
    /// with `{parent}` from the argument `parent_arg`.
    Child {
        parent_ty: &'static str,
        parent_arg: &'static str,
        child: &'static str,
    },
}

const VNET: &str = "Microsoft.Network/virtualNetworks";

/// The id shape of an azurerm resource (or data source) type.
pub(crate) fn id_shape(ty: &str) -> Option<IdShape> {
    Some(match ty {
        "azurerm_subscription" | "azurerm_client_config" => IdShape::Subscription,
        "azurerm_resource_group" => IdShape::ResourceGroup,
        "azurerm_virtual_network" => IdShape::Top(VNET),
        "azurerm_subnet" => IdShape::Child {
            parent_ty: VNET,
            parent_arg: "virtual_network_name",
            child: "subnets",
        },
        "azurerm_virtual_network_peering" => IdShape::Child {
            parent_ty: VNET,
            parent_arg: "virtual_network_name",
            child: "virtualNetworkPeerings",
        },
        "azurerm_virtual_network_gateway" => {
            IdShape::Top("Microsoft.Network/virtualNetworkGateways")
        }
        "azurerm_local_network_gateway" => IdShape::Top("Microsoft.Network/localNetworkGateways"),
        "azurerm_public_ip" => IdShape::Top("Microsoft.Network/publicIPAddresses"),
        "azurerm_network_security_group" => IdShape::Top("Microsoft.Network/networkSecurityGroups"),
        "azurerm_route_table" => IdShape::Top("Microsoft.Network/routeTables"),
        "azurerm_firewall" => IdShape::Top("Microsoft.Network/azureFirewalls"),
        "azurerm_bastion_host" => IdShape::Top("Microsoft.Network/bastionHosts"),
        "azurerm_network_interface" => IdShape::Top("Microsoft.Network/networkInterfaces"),
        "azurerm_nat_gateway" => IdShape::Top("Microsoft.Network/natGateways"),
        "azurerm_private_dns_zone" => IdShape::Top("Microsoft.Network/privateDnsZones"),
        "azurerm_network_manager" => IdShape::Top("Microsoft.Network/networkManagers"),
        _ => return None,
    })
}

/// The id of the subnets nested in an `azurerm_virtual_network` (`{vnet id}/subnets/{name}`).
pub(crate) const INLINE_SUBNET: (&str, &str) = ("azurerm_virtual_network", "subnet");
