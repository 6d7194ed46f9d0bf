param deployEndpoint bool

param endpointTargets array

param publicNetworkAccess string

var peSubnet = resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'endpoints')

resource r0 'Microsoft.Batch/batchAccounts@2024-07-01' = {
  name: 'batchprivate'
  location: 'westeurope'
  properties: {
    publicNetworkAccess: 'Disabled'
  }
}

resource r1 'Microsoft.Network/privateEndpoints@2023-09-01' = {
  name: 'pe-batchprivate'
  location: 'westeurope'
  properties: {
    subnet: {
      id: peSubnet
    }
    privateLinkServiceConnections: [
      {
        name: 'account'
        properties: {
          privateLinkServiceId: resourceId('Microsoft.Batch/batchAccounts', 'batchprivate')
          groupIds: [
            'BatchAccount'
          ]
        }
      }
    ]
  }
}

resource r2 'Microsoft.Batch/batchAccounts@2024-07-01' = {
  name: 'batchmaybe'
  location: 'westeurope'
  properties: {
    publicNetworkAccess: 'Disabled'
  }
}

resource r3 'Microsoft.Network/privateEndpoints@2023-09-01' = if (deployEndpoint) {
  name: 'pe-batchmaybe'
  location: 'westeurope'
  properties: {
    subnet: {
      id: peSubnet
    }
    privateLinkServiceConnections: [
      {
        name: 'account'
        properties: {
          privateLinkServiceId: resourceId('Microsoft.Batch/batchAccounts', 'batchmaybe')
          groupIds: [
            'batchAccount'
          ]
        }
      }
    ]
  }
}

resource r4 'Microsoft.Batch/batchAccounts@2024-07-01' = {
  name: 'batchpublic'
  location: 'westeurope'
  properties: {
    publicNetworkAccess: 'Enabled'
  }
}

resource r5 'Microsoft.Batch/batchAccounts@2024-07-01' = {
  name: 'batchunknown'
  location: 'westeurope'
  properties: {
    publicNetworkAccess: publicNetworkAccess
  }
}
