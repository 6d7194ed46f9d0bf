environment = "lab" # origin: NET001
