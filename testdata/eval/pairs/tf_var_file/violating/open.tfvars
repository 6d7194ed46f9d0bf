ssh_source = "*" # origin: NET001
