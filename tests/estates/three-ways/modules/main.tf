# The estate written with a local module called once per spoke.
resource "azurerm_virtual_network" "hub" {
  name                = "vnet-hub"
  resource_group_name = "rg-hub"
  location            = "westeurope"
  address_space       = ["10.0.0.0/16"]
}

resource "azurerm_virtual_network_gateway" "hub" {
  name                = "vgw-hub"
  resource_group_name = "rg-hub"
  location            = "westeurope"
  type                = "Vpn"
  sku                 = "VpnGw1"
  ip_configuration {
    subnet_id = "${azurerm_virtual_network.hub.id}/subnets/GatewaySubnet"
  }
}

module "app" {
  source = "./modules/spoke"
  name   = "app"
  cidr   = "10.1.0.0/16"
  hub    = azurerm_virtual_network.hub
}

module "payments" {
  source = "./modules/spoke"
  name   = "payments"
  cidr   = "10.0.128.0/20"
  hub    = azurerm_virtual_network.hub
}

module "analytics" {
  source   = "./modules/spoke"
  name     = "analytics"
  cidr     = "10.3.0.0/16"
  location = "northeurope"
  hub      = azurerm_virtual_network.hub
}

module "branch" {
  source  = "./modules/spoke"
  name    = "branch"
  cidr    = "10.4.0.0/16"
  gateway = true
  hub     = azurerm_virtual_network.hub
}
