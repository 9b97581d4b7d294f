variable "name" {
  type = string
}
variable "location" {
  type = string
}
variable "address_space" {
  type = list(string)
}
variable "hub_id" {
  type = string
}
variable "hub_name" {
  type = string
}
variable "hub_resource_group_name" {
  type = string
}

resource "azurerm_virtual_network" "this" {
  name                = "vnet-${var.name}"
  resource_group_name = "rg-${var.name}"
  location            = var.location
  address_space       = var.address_space
}

resource "azurerm_virtual_network_peering" "to_hub" {
  name                      = "to-hub"
  resource_group_name       = azurerm_virtual_network.this.resource_group_name
  virtual_network_name      = azurerm_virtual_network.this.name
  remote_virtual_network_id = var.hub_id
}

resource "azurerm_virtual_network_peering" "from_hub" {
  name                      = "to-${var.name}"
  resource_group_name       = var.hub_resource_group_name
  virtual_network_name      = var.hub_name
  remote_virtual_network_id = azurerm_virtual_network.this.id
}
