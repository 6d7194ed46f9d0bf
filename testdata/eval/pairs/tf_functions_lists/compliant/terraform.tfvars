override_source = "10.10.0.0/16"
office_sources  = "0.0.0.0/0,203.0.113.0/24"
