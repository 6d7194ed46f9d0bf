ssh_source = "*"
