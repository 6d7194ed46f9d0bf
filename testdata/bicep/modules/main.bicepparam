using './main.bicep'

// Reviewed: SSH only from the jump hosts.
param allowedSsh = '10.1.0.0/24'
