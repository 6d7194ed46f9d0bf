admin_source = "10.20.0.0/16"
