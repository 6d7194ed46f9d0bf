resource r0 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: 'kv-private'
  location: 'westeurope'
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    publicNetworkAccess: 'Disabled'
  }
}

resource r1 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: 'acrprivate'
  location: 'westeurope'
  sku: {
    name: 'Premium'
  }
  properties: {
    publicNetworkAccess: 'Disabled'
  }
}

resource r2 'Microsoft.MachineLearningServices/workspaces@2024-04-01' = {
  name: 'ws-private'
  location: 'westeurope'
  identity: {
    'type': 'SystemAssigned'
  }
  properties: {
    keyVault: resourceId('Microsoft.KeyVault/vaults', 'kv-private')
    containerRegistry: resourceId('Microsoft.ContainerRegistry/registries', 'acrprivate')
    publicNetworkAccess: 'Disabled'
  }
}

resource r3 'Microsoft.MachineLearningServices/workspaces@2024-04-01' = {
  name: 'ws-partial'
  location: 'westeurope'
  identity: {
    'type': 'SystemAssigned'
  }
  properties: {
    keyVault: resourceId('Microsoft.KeyVault/vaults', 'kv-private')
  }
}

resource r4 'Microsoft.Network/privateEndpoints@2023-09-01' = {
  name: 'pe-ws-partial'
  location: 'westeurope'
  properties: {
    subnet: {
      id: resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'pe')
    }
    privateLinkServiceConnections: [
      {
        name: 'ws'
        properties: {
          privateLinkServiceId: resourceId('Microsoft.MachineLearningServices/workspaces', 'ws-partial')
          groupIds: [
            'amlworkspace'
          ]
        }
      }
      {
        name: 'kv-wrong-group'
        properties: {
          privateLinkServiceId: resourceId('Microsoft.KeyVault/vaults', 'kv-private')
          groupIds: [
            'blob'
          ]
        }
      }
    ]
  }
}
