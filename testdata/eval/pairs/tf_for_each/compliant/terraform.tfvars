ssh_rules = {
  corp    = { priority = 100, source = "10.0.0.0/8" }
  support = { priority = 110, source = "198.51.100.0/24" }
}
