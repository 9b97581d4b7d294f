resource "azurerm_resource_group" "payments" {
  name     = "rg-${local.prefix}-payments"
  location = var.location
}

resource "azurerm_virtual_network" "payments" {
  name                = "vnet-${local.prefix}-payments"
  resource_group_name = azurerm_resource_group.payments.name
  location            = azurerm_resource_group.payments.location
  address_space       = [local.spoke_ranges.payments]
}

# The payments team terminates its own VPN to a card processor...
resource "azurerm_virtual_network_gateway" "payments" {
  name                = "vgw-${local.prefix}-payments"
  resource_group_name = azurerm_resource_group.payments.name
  location            = azurerm_resource_group.payments.location
  type                = "Vpn"
  sku                 = "VpnGw1"

  ip_configuration {
    name      = "default"
    subnet_id = "${azurerm_virtual_network.payments.id}/subnets/GatewaySubnet"
  }
}
