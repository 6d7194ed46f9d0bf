param vaultId string

var peSubnet = resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'endpoints')

resource r0 'Microsoft.Batch/batchAccounts@2024-07-01' = {
  name: 'batchnodes'
  location: 'westeurope'
  properties: {
    publicNetworkAccess: 'Disabled'
  }
}

resource r1 'Microsoft.Network/privateEndpoints@2023-09-01' = {
  name: 'pe-batchnodes'
  location: 'westeurope'
  properties: {
    subnet: {
      id: peSubnet
    }
    privateLinkServiceConnections: [
      {
        name: 'nodes'
        properties: {
          privateLinkServiceId: resourceId('Microsoft.Batch/batchAccounts', 'batchnodes')
          groupIds: [
            'nodeManagement'
          ]
        }
      }
    ]
  }
}

resource r2 'Microsoft.Batch/batchAccounts@2024-07-01' = {
  name: 'batchnone'
  location: 'westeurope'
  properties: {
    publicNetworkAccess: 'disabled'
  }
}

resource r3 'Microsoft.Network/privateEndpoints@2023-09-01' = {
  name: 'pe-vault'
  location: 'westeurope'
  properties: {
    subnet: {
      id: peSubnet
    }
    privateLinkServiceConnections: [
      {
        name: 'kv'
        properties: {
          privateLinkServiceId: vaultId
          groupIds: [
            'vault'
          ]
        }
      }
    ]
  }
}
