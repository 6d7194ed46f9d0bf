param modes array

resource r0 'Microsoft.Batch/batchAccounts@2024-07-01' = {
  name: 'batchaad'
  location: 'westeurope'
  properties: {
    publicNetworkAccess: 'Disabled'
    allowedAuthenticationModes: [
      'AAD'
      'TaskAuthenticationToken'
    ]
  }
}

resource r1 'Microsoft.Batch/batchAccounts@2024-07-01' = {
  name: 'batchparam'
  location: 'westeurope'
  properties: {
    publicNetworkAccess: 'Disabled'
    allowedAuthenticationModes: modes
  }
}
