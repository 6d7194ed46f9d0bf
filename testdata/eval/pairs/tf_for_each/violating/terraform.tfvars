ssh_rules = { # origin: NET001
  corp    = { priority = 100, source = "10.0.0.0/8" }
  support = { priority = 110, source = "0.0.0.0/0" }
}
