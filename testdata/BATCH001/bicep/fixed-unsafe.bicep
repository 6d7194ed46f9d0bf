resource r0 'Microsoft.Batch/batchAccounts@2024-07-01' = {
  name: 'batchdefault'
  location: 'westeurope'
  properties: {
    allowedAuthenticationModes: [
      'AAD'
    ]
    publicNetworkAccess: 'Disabled'
  }
}

resource r1 'Microsoft.Batch/batchAccounts@2024-07-01' = {
  name: 'batchpublic'
  location: 'westeurope'
  properties: {
    publicNetworkAccess: 'Disabled'
    allowedAuthenticationModes: [
      'AAD'
    ]
  }
}
