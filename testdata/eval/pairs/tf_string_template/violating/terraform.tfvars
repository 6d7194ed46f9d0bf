prefix_length = 0 # origin: NET001
