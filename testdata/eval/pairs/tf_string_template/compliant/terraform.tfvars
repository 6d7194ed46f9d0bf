prefix_length = 8
