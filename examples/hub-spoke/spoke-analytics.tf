resource "azurerm_resource_group" "analytics" {
  name     = "rg-${local.prefix}-analytics"
  location = "North Europe"
}

resource "azurerm_virtual_network" "analytics" {
  name                = "vnet-${local.prefix}-analytics"
  resource_group_name = azurerm_resource_group.analytics.name
  location            = azurerm_resource_group.analytics.location
  address_space       = [local.spoke_ranges.analytics]
}
