terraform {
  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = "~> 4.0"
    }
  }
}

# The hub lives in the connectivity subscription, the spokes in the landing-zone one.
provider "azurerm" {
  alias           = "connectivity"
  subscription_id = var.connectivity_subscription_id
  features {}
}

provider "azurerm" {
  alias           = "landing_zones"
  subscription_id = var.landing_zone_subscription_id
  features {}
}
