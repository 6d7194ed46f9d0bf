ssh_sources = ["10.0.0.0/8", "*"] # origin: NET001
