# The estate in Terraform (azurerm, and azapi for the classic VNets).
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

# Two classic VNets left over from Azure Service Manager.
resource "azapi_resource" "legacy_one" {
  type      = "Microsoft.ClassicNetwork/virtualNetworks@2016-11-01"
  name      = "vnet-legacy-one"
  parent_id = azurerm_resource_group.legacy.id
  location  = "westeurope"
  body = {
    properties = {
      addressSpace = { addressPrefixes = ["172.16.0.0/24"] }
    }
  }
}

resource "azapi_resource" "legacy_two" {
  type      = "Microsoft.ClassicNetwork/virtualNetworks@2016-11-01"
  name      = "vnet-legacy-two"
  parent_id = azurerm_resource_group.legacy.id
  location  = "westeurope"
  body = {
    properties = {
      addressSpace = { addressPrefixes = ["172.16.1.0/24"] }
    }
  }
}

resource "azurerm_resource_group" "legacy" {
  name     = "rg-legacy"
  location = "westeurope"
}

resource "azapi_resource" "legacy_one_to_two" {
  type      = "Microsoft.Network/virtualNetworks/virtualNetworkPeerings@2023-09-01"
  name      = "legacy-one-to-two"
  parent_id = azapi_resource.legacy_one.id
  body = {
    properties = {
      remoteVirtualNetwork = { id = azapi_resource.legacy_two.id }
    }
  }
}

resource "azurerm_virtual_network_peering" "hub_to_legacy" {
  name                      = "hub-to-legacy"
  resource_group_name       = "rg-hub"
  virtual_network_name      = "vnet-hub"
  remote_virtual_network_id = azapi_resource.legacy_one.id
  allow_gateway_transit     = true
}
