ssh_source = "0.0.0.0/0" # origin: NET001
