# "No subnetting" over an address space of 0.0.0.0/0 leaves the whole internet.
address_space      = "0.0.0.0/0" # origin: NET001
management_newbits = 0
