allow_public_ssh = false
