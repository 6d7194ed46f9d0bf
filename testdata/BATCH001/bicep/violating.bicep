resource r0 'Microsoft.Batch/batchAccounts@2024-07-01' = {
  name: 'batchdefault'
  location: 'westeurope'
  properties: {
    allowedAuthenticationModes: [
      'AAD'
    ]
  }
}

resource r1 'Microsoft.Batch/batchAccounts@2024-07-01' = {
  name: 'batchpublic'
  location: 'westeurope'
  properties: {
    publicNetworkAccess: 'enabled'
    allowedAuthenticationModes: [
      'AAD'
    ]
  }
}
