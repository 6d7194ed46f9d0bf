address_space      = "10.20.0.0/16"
management_newbits = 0
