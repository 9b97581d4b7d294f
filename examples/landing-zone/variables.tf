variable "connectivity_subscription_id" {
  type = string
}

variable "landing_zone_subscription_id" {
  type = string
}

variable "location" {
  type    = string
  default = "westeurope"
}

variable "hub_address_space" {
  type    = list(string)
  default = ["10.0.0.0/16"]
}

variable "spokes" {
  description = "One entry per application landing zone."
  type = map(object({
    address_space = list(string)
    location      = optional(string)
    # Spokes use the hub's VPN gateway unless they say otherwise.
    use_hub_gateway = optional(bool, true)
    own_gateway     = optional(bool, false)
  }))
  default = {}
}
