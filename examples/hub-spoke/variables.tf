variable "subscription_id" {
  description = "The connectivity subscription."
  type        = string
  default     = "6f0a2b3c-1d4e-4f5a-8b6c-7d8e9f0a1b2c"
}

variable "location" {
  description = "The region of the hub and its spokes."
  type        = string
  default     = "westeurope"
}

variable "hub_address_space" {
  type    = list(string)
  default = ["10.0.0.0/16"]
}
