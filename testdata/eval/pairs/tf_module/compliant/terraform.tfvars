bastion_source = "10.50.0.0/16"
