connectivity_subscription_id = "0b7c5d2e-9a41-4f3b-8c6d-1e2f3a4b5c6d"
landing_zone_subscription_id = "7e8f9a0b-1c2d-4e3f-a4b5-c6d7e8f9a0b1"

spokes = {
  web = {
    address_space = ["10.10.0.0/16"]
  }
  payments = {
    # Copied from the hub's range by mistake.
    address_space = ["10.0.64.0/18"]
  }
  analytics = {
    address_space = ["10.30.0.0/16"]
    location      = "northeurope"
  }
  branch = {
    address_space = ["10.40.0.0/16"]
    own_gateway   = true # terminates its own site-to-site VPN
  }
}
