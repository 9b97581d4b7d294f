spokes = {
  app  = { location = "westeurope", address_space = ["10.1.0.0/16"] }
  data = { location = "westeurope", address_space = ["10.0.32.0/19"] } # inside the hub's 10.0.0.0/16
  dr   = { location = "northeurope", address_space = ["10.2.0.0/16"] }
}
