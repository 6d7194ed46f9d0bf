office_sources = "0.0.0.0/0,203.0.113.0/24" # origin: NET001
