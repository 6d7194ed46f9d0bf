allow_public_ssh = true # origin: NET001
