param action string

param range string

resource r0 'Microsoft.Batch/batchAccounts@2024-07-01' = {
  name: 'batchrestricted'
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
        ]
      }
      nodeManagementAccess: {
        defaultAction: 'Deny'
        ipRules: [
          {
            action: 'Allow'
            value: '198.51.100.7'
          }
        ]
      }
    }
  }
}

resource r1 'Microsoft.Batch/batchAccounts@2024-07-01' = {
  name: 'batchprivate'
  location: 'westeurope'
  properties: {
    publicNetworkAccess: 'Disabled'
    networkProfile: {
      accountAccess: {
        defaultAction: 'Allow'
      }
    }
  }
}

resource r2 'Microsoft.Batch/batchAccounts@2024-07-01' = {
  name: 'batchnoprofile'
  location: 'westeurope'
  properties: {
    publicNetworkAccess: 'Enabled'
  }
}

resource r3 'Microsoft.Batch/batchAccounts@2024-07-01' = {
  name: 'batchfromparameters'
  location: 'westeurope'
  properties: {
    networkProfile: {
      accountAccess: {
        defaultAction: action
        ipRules: [
          {
            action: 'Allow'
            value: range
          }
        ]
      }
    }
  }
}
