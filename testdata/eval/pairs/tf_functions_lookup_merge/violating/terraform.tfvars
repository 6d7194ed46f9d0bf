environment = "demo"

extra_sources = { # origin: NET001
  demo = "*"
}
