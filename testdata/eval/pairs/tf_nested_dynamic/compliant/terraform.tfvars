endpoints = {
  ssh = {
    protocol      = "TCP"
    backend_port  = 22
    frontend_port = "50000-50099"
    sources       = ["10.0.0.0/8", "192.168.0.0/16"]
  }
}
