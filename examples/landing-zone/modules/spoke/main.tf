terraform {
  required_providers {
    azurerm = {
      source                = "hashicorp/azurerm"
      configuration_aliases = [azurerm.hub]
    }
  }
}

variable "name" {
  type = string
}

variable "location" {
  type = string
}

variable "address_space" {
  type = list(string)
}

variable "use_hub_gateway" {
  type = bool
}

variable "own_gateway" {
  type = bool
}

variable "hub" {
  type = object({
    id                  = string
    name                = string
    resource_group_name = string
  })
}

resource "azurerm_resource_group" "this" {
  name     = "rg-lz-${var.name}"
  location = var.location
}

resource "azurerm_virtual_network" "this" {
  name                = "vnet-lz-${var.name}"
  resource_group_name = azurerm_resource_group.this.name
  location            = azurerm_resource_group.this.location
  address_space       = var.address_space
}

resource "azurerm_virtual_network_gateway" "own" {
  count               = var.own_gateway ? 1 : 0
  name                = "vgw-lz-${var.name}"
  resource_group_name = azurerm_resource_group.this.name
  location            = azurerm_resource_group.this.location
  type                = "Vpn"
  sku                 = "VpnGw1"

  ip_configuration {
    subnet_id = "${azurerm_virtual_network.this.id}/subnets/GatewaySubnet"
  }
}

resource "azurerm_virtual_network_peering" "to_hub" {
  name                      = "peer-${var.name}-to-hub"
  resource_group_name       = azurerm_resource_group.this.name
  virtual_network_name      = azurerm_virtual_network.this.name
  remote_virtual_network_id = var.hub.id
  allow_forwarded_traffic   = true
  use_remote_gateways       = var.use_hub_gateway
}

resource "azurerm_virtual_network_peering" "from_hub" {
  provider                  = azurerm.hub
  name                      = "peer-hub-to-${var.name}"
  resource_group_name       = var.hub.resource_group_name
  virtual_network_name      = var.hub.name
  remote_virtual_network_id = azurerm_virtual_network.this.id
  allow_forwarded_traffic   = true
  allow_gateway_transit     = true
}

output "vnet_id" {
  value = azurerm_virtual_network.this.id
}
