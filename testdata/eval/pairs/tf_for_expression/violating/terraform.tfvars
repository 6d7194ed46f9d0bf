admin_source = "Internet" # origin: NET001
