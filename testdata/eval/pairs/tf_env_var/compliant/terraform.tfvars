ssh_source = "10.0.0.0/8"
