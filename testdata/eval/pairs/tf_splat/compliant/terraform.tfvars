admin_networks = [
  { name = "corp", cidr = "10.0.0.0/8" },
  { name = "vpn", cidr = "172.16.0.0/12" },
]
