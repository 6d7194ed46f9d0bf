param source string
output sshSource string = source
