resource r0 'Microsoft.Batch/batchAccounts@2024-07-01' = {
  name: 'batchallow'
  location: 'westeurope'
  properties: {
    networkProfile: {
      accountAccess: {
        defaultAction: 'Deny'
      }
    }
  }
}

resource r1 'Microsoft.Batch/batchAccounts@2024-07-01' = {
  name: 'batchwideiprule'
  location: 'westeurope'
  properties: {
    publicNetworkAccess: 'Enabled'
    networkProfile: {
      accountAccess: {
        defaultAction: 'Deny'
        ipRules: [
          {
            action: 'Allow'
            value: '203.0.113.0/24'
          }
          {
            action: 'Allow'
            value: '0.0.0.0/0'
          }
        ]
      }
      nodeManagementAccess: {
        defaultAction: 'Deny'
        ipRules: [
          {
            action: 'Allow'
            value: '0.0.0.0'
          }
        ]
      }
    }
  }
}
