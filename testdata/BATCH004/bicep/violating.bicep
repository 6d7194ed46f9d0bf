resource r0 'Microsoft.Batch/batchAccounts@2024-07-01' = {
  name: 'batchdefault'
  location: 'westeurope'
  properties: {
    publicNetworkAccess: 'Disabled'
  }
}

resource r1 'Microsoft.Batch/batchAccounts@2024-07-01' = {
  name: 'batchplatformkey'
  location: 'westeurope'
  properties: {
    publicNetworkAccess: 'Disabled'
    encryption: {
      keySource: 'Microsoft.Batch'
    }
  }
}

resource r2 'Microsoft.Batch/batchAccounts@2024-07-01' = {
  name: 'batchemptyencryption'
  location: 'westeurope'
  properties: {
    publicNetworkAccess: 'Disabled'
    encryption: {}
  }
}
