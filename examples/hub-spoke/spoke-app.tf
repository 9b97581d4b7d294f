resource "azurerm_resource_group" "app" {
  name     = "rg-${local.prefix}-app"
  location = var.location
}

resource "azurerm_virtual_network" "app" {
  name                = "vnet-${local.prefix}-app"
  resource_group_name = azurerm_resource_group.app.name
  location            = azurerm_resource_group.app.location
  address_space       = [local.spoke_ranges.app]

  subnet {
    name             = "snet-web"
    address_prefixes = [cidrsubnet(local.spoke_ranges.app, 8, 1)]
  }
}
