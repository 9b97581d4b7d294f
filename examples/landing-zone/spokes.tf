module "spoke" {
  source   = "./modules/spoke"
  for_each = var.spokes
  providers = {
    azurerm     = azurerm.landing_zones
    azurerm.hub = azurerm.connectivity
  }

  name            = each.key
  location        = coalesce(each.value.location, var.location)
  address_space   = each.value.address_space
  use_hub_gateway = each.value.use_hub_gateway
  own_gateway     = each.value.own_gateway
  hub             = azurerm_virtual_network.hub
}

output "spoke_vnet_ids" {
  value = { for name, spoke in module.spoke : name => spoke.vnet_id }
}
