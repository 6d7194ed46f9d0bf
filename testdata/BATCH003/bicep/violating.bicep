resource r0 'Microsoft.Batch/batchAccounts@2024-07-01' = {
  name: 'batchsharedkey'
  location: 'westeurope'
  properties: {
    publicNetworkAccess: 'Disabled'
    allowedAuthenticationModes: [
      'SharedKey'
      'AAD'
    ]
  }
}

resource r1 'Microsoft.Batch/batchAccounts@2024-07-01' = {
  name: 'batchempty'
  location: 'westeurope'
  properties: {
    publicNetworkAccess: 'Disabled'
    allowedAuthenticationModes: []
  }
}

resource r2 'Microsoft.Batch/batchAccounts@2024-07-01' = {
  name: 'batchabsent'
  location: 'westeurope'
  properties: {
    publicNetworkAccess: 'Disabled'
  }
}
