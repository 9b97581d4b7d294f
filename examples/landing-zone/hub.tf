resource "azurerm_resource_group" "hub" {
  provider = azurerm.connectivity
  name     = "rg-connectivity-${var.location}"
  location = var.location
}

resource "azurerm_virtual_network" "hub" {
  provider            = azurerm.connectivity
  name                = "vnet-hub-${var.location}"
  resource_group_name = azurerm_resource_group.hub.name
  location            = azurerm_resource_group.hub.location
  address_space       = var.hub_address_space
}

resource "azurerm_subnet" "gateway" {
  provider             = azurerm.connectivity
  name                 = "GatewaySubnet"
  resource_group_name  = azurerm_resource_group.hub.name
  virtual_network_name = azurerm_virtual_network.hub.name
  address_prefixes     = [cidrsubnet(var.hub_address_space[0], 11, 0)]
}

resource "azurerm_virtual_network_gateway" "hub" {
  provider            = azurerm.connectivity
  name                = "vgw-hub-${var.location}"
  resource_group_name = azurerm_resource_group.hub.name
  location            = azurerm_resource_group.hub.location
  type                = "Vpn"
  sku                 = "VpnGw2"

  ip_configuration {
    subnet_id = azurerm_subnet.gateway.id
  }
}
