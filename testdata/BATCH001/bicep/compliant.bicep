param access string

resource r0 'Microsoft.Batch/batchAccounts@2024-07-01' = {
  name: 'batchprivate'
  location: 'westeurope'
  properties: {
    publicNetworkAccess: 'Disabled'
    allowedAuthenticationModes: [
      'AAD'
    ]
  }
}

resource r1 'Microsoft.Batch/batchAccounts@2024-07-01' = {
  name: 'batchperimeter'
  location: 'westeurope'
  properties: {
    publicNetworkAccess: 'SecuredByPerimeter'
    allowedAuthenticationModes: [
      'AAD'
    ]
  }
}

resource r2 'Microsoft.Batch/batchAccounts@2024-07-01' = {
  name: 'batchunknown'
  location: 'westeurope'
  properties: {
    publicNetworkAccess: access
    allowedAuthenticationModes: [
      'AAD'
    ]
  }
}
