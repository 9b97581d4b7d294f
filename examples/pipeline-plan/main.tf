# The spokes come from prod.tfvars, which only the pipeline passes (`terraform plan
# -var-file prod.tfvars -out tfplan`); tfplan.json is `terraform show -json tfplan`, written
# here by hand after Terraform's JSON format. Without it, peerlint cannot know the spokes.
variable "spokes" {
  type = map(object({ location = string, address_space = list(string) }))
}

resource "azurerm_virtual_network" "hub" {
  name                = "vnet-hub"
  resource_group_name = "rg-hub"
  location            = "westeurope"
  address_space       = ["10.0.0.0/16"]
}

module "spoke" {
  source   = "./modules/spoke"
  for_each = var.spokes

  name                    = each.key
  location                = each.value.location
  address_space           = each.value.address_space
  hub_id                  = azurerm_virtual_network.hub.id
  hub_name                = azurerm_virtual_network.hub.name
  hub_resource_group_name = azurerm_virtual_network.hub.resource_group_name
}
