# The estate written resource by resource.
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

resource "azurerm_virtual_network" "app" {
  name                = "vnet-app"
  resource_group_name = "rg-app"
  location            = "westeurope"
  address_space       = ["10.1.0.0/16"]
}

resource "azurerm_virtual_network" "payments" {
  name                = "vnet-payments"
  resource_group_name = "rg-payments"
  location            = "westeurope"
  address_space       = ["10.0.128.0/20"]
}

resource "azurerm_virtual_network" "analytics" {
  name                = "vnet-analytics"
  resource_group_name = "rg-analytics"
  location            = "northeurope"
  address_space       = ["10.3.0.0/16"]
}

resource "azurerm_virtual_network" "branch" {
  name                = "vnet-branch"
  resource_group_name = "rg-branch"
  location            = "westeurope"
  address_space       = ["10.4.0.0/16"]
}

resource "azurerm_virtual_network_gateway" "branch" {
  name                = "vgw-branch"
  resource_group_name = "rg-branch"
  location            = "westeurope"
  type                = "Vpn"
  sku                 = "VpnGw1"
  ip_configuration {
    subnet_id = "${azurerm_virtual_network.branch.id}/subnets/GatewaySubnet"
  }
}

resource "azurerm_virtual_network_peering" "hub_to_app" {
  name                      = "hub-to-app"
  resource_group_name       = "rg-hub"
  virtual_network_name      = "vnet-hub"
  remote_virtual_network_id = azurerm_virtual_network.app.id
  allow_gateway_transit     = true
}

resource "azurerm_virtual_network_peering" "app_to_hub" {
  name                      = "app-to-hub"
  resource_group_name       = "rg-app"
  virtual_network_name      = "vnet-app"
  remote_virtual_network_id = azurerm_virtual_network.hub.id
  use_remote_gateways       = true
}

resource "azurerm_virtual_network_peering" "hub_to_payments" {
  name                      = "hub-to-payments"
  resource_group_name       = "rg-hub"
  virtual_network_name      = "vnet-hub"
  remote_virtual_network_id = azurerm_virtual_network.payments.id
  allow_gateway_transit     = true
}

resource "azurerm_virtual_network_peering" "payments_to_hub" {
  name                      = "payments-to-hub"
  resource_group_name       = "rg-payments"
  virtual_network_name      = "vnet-payments"
  remote_virtual_network_id = azurerm_virtual_network.hub.id
  use_remote_gateways       = true
}

resource "azurerm_virtual_network_peering" "hub_to_analytics" {
  name                      = "hub-to-analytics"
  resource_group_name       = "rg-hub"
  virtual_network_name      = "vnet-hub"
  remote_virtual_network_id = azurerm_virtual_network.analytics.id
  allow_gateway_transit     = true
}

resource "azurerm_virtual_network_peering" "analytics_to_hub" {
  name                      = "analytics-to-hub"
  resource_group_name       = "rg-analytics"
  virtual_network_name      = "vnet-analytics"
  remote_virtual_network_id = azurerm_virtual_network.hub.id
  use_remote_gateways       = true
}

resource "azurerm_virtual_network_peering" "hub_to_branch" {
  name                      = "hub-to-branch"
  resource_group_name       = "rg-hub"
  virtual_network_name      = "vnet-hub"
  remote_virtual_network_id = azurerm_virtual_network.branch.id
  allow_gateway_transit     = true
}

resource "azurerm_virtual_network_peering" "branch_to_hub" {
  name                      = "branch-to-hub"
  resource_group_name       = "rg-branch"
  virtual_network_name      = "vnet-branch"
  remote_virtual_network_id = azurerm_virtual_network.hub.id
  use_remote_gateways       = true
}
