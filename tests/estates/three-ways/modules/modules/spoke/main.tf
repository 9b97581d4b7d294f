variable "name" {
  type = string
}

variable "cidr" {
  type = string
}

variable "location" {
  type    = string
  default = "westeurope"
}

variable "gateway" {
  type    = bool
  default = false
}

variable "hub" {
  type = object({
    id                  = string
    name                = string
    resource_group_name = string
  })
}

resource "azurerm_virtual_network" "this" {
  name                = "vnet-${var.name}"
  resource_group_name = "rg-${var.name}"
  location            = var.location
  address_space       = [var.cidr]
}

resource "azurerm_virtual_network_gateway" "this" {
  count               = var.gateway ? 1 : 0
  name                = "vgw-${var.name}"
  resource_group_name = azurerm_virtual_network.this.resource_group_name
  location            = var.location
  type                = "Vpn"
  sku                 = "VpnGw1"
  ip_configuration {
    subnet_id = "${azurerm_virtual_network.this.id}/subnets/GatewaySubnet"
  }
}

resource "azurerm_virtual_network_peering" "hub_to_spoke" {
  name                      = "hub-to-${var.name}"
  resource_group_name       = var.hub.resource_group_name
  virtual_network_name      = var.hub.name
  remote_virtual_network_id = azurerm_virtual_network.this.id
  allow_gateway_transit     = true
}

resource "azurerm_virtual_network_peering" "spoke_to_hub" {
  name                      = "${var.name}-to-hub"
  resource_group_name       = azurerm_virtual_network.this.resource_group_name
  virtual_network_name      = azurerm_virtual_network.this.name
  remote_virtual_network_id = var.hub.id
  use_remote_gateways       = true
}
