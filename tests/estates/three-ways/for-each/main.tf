# The estate written with for_each over a map of spokes.
locals {
  spokes = {
    app       = { cidr = "10.1.0.0/16", location = "westeurope", gateway = false }
    payments  = { cidr = "10.0.128.0/20", location = "westeurope", gateway = false }
    analytics = { cidr = "10.3.0.0/16", location = "northeurope", gateway = false }
    branch    = { cidr = "10.4.0.0/16", location = "westeurope", gateway = true }
  }
}

resource "azurerm_virtual_network" "hub" {
  name                = "vnet-hub"
  resource_group_name = "rg-hub"
  location            = "westeurope"
  address_space       = ["10.0.0.0/16"]
}

resource "azurerm_virtual_network" "spoke" {
  for_each            = local.spokes
  name                = "vnet-${each.key}"
  resource_group_name = "rg-${each.key}"
  location            = each.value.location
  address_space       = [each.value.cidr]
}

resource "azurerm_virtual_network_gateway" "gw" {
  for_each            = merge({ hub = azurerm_virtual_network.hub }, { for k, v in azurerm_virtual_network.spoke : k => v if local.spokes[k].gateway })
  name                = "vgw-${each.key}"
  resource_group_name = each.value.resource_group_name
  location            = each.value.location
  type                = "Vpn"
  sku                 = "VpnGw1"
  ip_configuration {
    subnet_id = "${each.value.id}/subnets/GatewaySubnet"
  }
}

resource "azurerm_virtual_network_peering" "hub_to_spoke" {
  for_each                  = azurerm_virtual_network.spoke
  name                      = "hub-to-${each.key}"
  resource_group_name       = azurerm_virtual_network.hub.resource_group_name
  virtual_network_name      = azurerm_virtual_network.hub.name
  remote_virtual_network_id = each.value.id
  allow_gateway_transit     = true
}

resource "azurerm_virtual_network_peering" "spoke_to_hub" {
  for_each                  = local.spokes
  name                      = "${each.key}-to-hub"
  resource_group_name       = azurerm_virtual_network.spoke[each.key].resource_group_name
  virtual_network_name      = azurerm_virtual_network.spoke[each.key].name
  remote_virtual_network_id = azurerm_virtual_network.hub.id
  use_remote_gateways       = true
}
