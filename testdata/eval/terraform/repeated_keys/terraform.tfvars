sources = {
  ssh   = "10.1.0.0/16"
  https = "10.2.0.0/16"
  ssh   = "*"
}
