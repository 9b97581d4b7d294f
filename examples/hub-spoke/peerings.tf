# Hub to spokes: the hub offers its VPN gateway to every spoke.

resource "azurerm_virtual_network_peering" "hub_to_app" {
  name                      = "hub-to-app"
  resource_group_name       = azurerm_resource_group.hub.name
  virtual_network_name      = azurerm_virtual_network.hub.name
  remote_virtual_network_id = azurerm_virtual_network.app.id
  allow_gateway_transit     = true
  allow_forwarded_traffic   = true
}

resource "azurerm_virtual_network_peering" "app_to_hub" {
  name                      = "app-to-hub"
  resource_group_name       = azurerm_resource_group.app.name
  virtual_network_name      = azurerm_virtual_network.app.name
  remote_virtual_network_id = azurerm_virtual_network.hub.id
  use_remote_gateways       = true
  allow_forwarded_traffic   = true
}

resource "azurerm_virtual_network_peering" "hub_to_payments" {
  name                      = "hub-to-payments"
  resource_group_name       = azurerm_resource_group.hub.name
  virtual_network_name      = azurerm_virtual_network.hub.name
  remote_virtual_network_id = azurerm_virtual_network.payments.id
  allow_gateway_transit     = true
}

resource "azurerm_virtual_network_peering" "payments_to_hub" {
  name                      = "payments-to-hub"
  resource_group_name       = azurerm_resource_group.payments.name
  virtual_network_name      = azurerm_virtual_network.payments.name
  remote_virtual_network_id = azurerm_virtual_network.hub.id
  use_remote_gateways       = true
}

resource "azurerm_virtual_network_peering" "hub_to_analytics" {
  name                      = "hub-to-analytics"
  resource_group_name       = azurerm_resource_group.hub.name
  virtual_network_name      = azurerm_virtual_network.hub.name
  remote_virtual_network_id = azurerm_virtual_network.analytics.id
  allow_gateway_transit     = true
}

resource "azurerm_virtual_network_peering" "analytics_to_hub" {
  name                      = "analytics-to-hub"
  resource_group_name       = azurerm_resource_group.analytics.name
  virtual_network_name      = azurerm_virtual_network.analytics.name
  remote_virtual_network_id = azurerm_virtual_network.hub.id
  use_remote_gateways       = true
}
