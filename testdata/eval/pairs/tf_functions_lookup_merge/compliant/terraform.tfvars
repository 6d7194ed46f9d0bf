environment = "demo"

extra_sources = {
  demo = "192.168.0.0/16"
}
