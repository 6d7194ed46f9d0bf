admin_source = "*"
