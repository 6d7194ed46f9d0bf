admin_networks = [ # origin: NET001
  { name = "corp", cidr = "10.0.0.0/8" },
  { name = "anywhere", cidr = "0.0.0.0/0" },
]
