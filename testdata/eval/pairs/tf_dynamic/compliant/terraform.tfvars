rules = [
  { name = "allow-https", priority = 100, port = "443", source = "*" },
  { name = "allow-ssh", priority = 110, port = "22", source = "10.0.0.0/8" },
]
