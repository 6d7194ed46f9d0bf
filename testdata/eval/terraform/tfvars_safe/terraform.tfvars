admin_source = "203.0.113.0/24"
