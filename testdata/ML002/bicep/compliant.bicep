param publicNetworkAccess string

param registryId string

resource r0 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: 'kv'
  location: 'westeurope'
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
  }
}

resource r1 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: 'acr'
  location: 'westeurope'
  sku: {
    name: 'Premium'
  }
  properties: {}
}

resource r2 'Microsoft.MachineLearningServices/workspaces@2024-04-01' = {
  name: 'ws-private'
  location: 'westeurope'
  identity: {
    'type': 'SystemAssigned'
  }
  properties: {
    keyVault: resourceId('Microsoft.KeyVault/vaults', 'kv')
    containerRegistry: resourceId('Microsoft.ContainerRegistry/registries', 'acr')
    publicNetworkAccess: 'Disabled'
  }
}

resource r3 'Microsoft.MachineLearningServices/workspaces@2024-04-01' = {
  name: 'ws-public'
  location: 'westeurope'
  properties: {
    publicNetworkAccess: 'Enabled'
  }
}

resource r4 'Microsoft.MachineLearningServices/workspaces@2024-04-01' = {
  name: 'ws-unknown'
  location: 'westeurope'
  properties: {
    publicNetworkAccess: publicNetworkAccess
  }
}

resource r5 'Microsoft.MachineLearningServices/workspaces@2024-04-01' = {
  name: 'ws-outside'
  location: 'westeurope'
  properties: {
    keyVault: '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/shared/providers/Microsoft.KeyVault/vaults/kv-shared'
    containerRegistry: registryId
    publicNetworkAccess: 'Disabled'
  }
}

resource r6 'Microsoft.Network/privateEndpoints@2023-09-01' = {
  name: 'pe-ws'
  location: 'westeurope'
  properties: {
    subnet: {
      id: resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'pe')
    }
    privateLinkServiceConnections: [
      {
        name: 'ws'
        properties: {
          privateLinkServiceId: resourceId('Microsoft.MachineLearningServices/workspaces', 'ws-private')
          groupIds: [
            'amlWorkspace'
          ]
        }
      }
      {
        name: 'ws-outside'
        properties: {
          privateLinkServiceId: resourceId('Microsoft.MachineLearningServices/workspaces', 'ws-outside')
          groupIds: [
            'amlworkspace'
          ]
        }
      }
    ]
  }
}

resource r7 'Microsoft.MachineLearningServices/workspaces@2024-10-01' = {
  name: 'hub'
  location: 'westeurope'
  kind: 'Hub'
  identity: {
    'type': 'SystemAssigned'
  }
  properties: {
    keyVault: resourceId('Microsoft.KeyVault/vaults', 'kv')
    containerRegistry: resourceId('Microsoft.ContainerRegistry/registries', 'acr')
    publicNetworkAccess: 'Disabled'
  }
}

resource r8 'Microsoft.MachineLearningServices/workspaces@2024-10-01' = {
  name: 'hub-project'
  location: 'westeurope'
  kind: 'Project'
  identity: {
    'type': 'SystemAssigned'
  }
  properties: {
    hubResourceId: resourceId('Microsoft.MachineLearningServices/workspaces', 'hub')
    publicNetworkAccess: 'Disabled'
  }
}

resource r9 'Microsoft.Network/privateEndpoints@2023-09-01' = {
  name: 'pe-hub'
  location: 'westeurope'
  properties: {
    subnet: {
      id: resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'pe')
    }
    privateLinkServiceConnections: [
      {
        name: 'hub'
        properties: {
          privateLinkServiceId: resourceId('Microsoft.MachineLearningServices/workspaces', 'hub')
          groupIds: [
            'amlworkspace'
          ]
        }
      }
    ]
  }
}

resource r10 'Microsoft.Network/privateEndpoints@2023-09-01' = {
  name: 'pe-kv'
  location: 'westeurope'
  properties: {
    subnet: {
      id: resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'pe')
    }
    manualPrivateLinkServiceConnections: [
      {
        name: 'kv'
        properties: {
          privateLinkServiceId: resourceId('Microsoft.KeyVault/vaults', 'kv')
          groupIds: [
            'Vault'
          ]
        }
      }
    ]
  }
}

resource r11 'Microsoft.Network/privateEndpoints@2023-09-01' = {
  name: 'pe-acr'
  location: 'westeurope'
  properties: {
    subnet: {
      id: resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'pe')
    }
    privateLinkServiceConnections: [
      {
        name: 'acr'
        properties: {
          privateLinkServiceId: resourceId('Microsoft.ContainerRegistry/registries', 'acr')
          groupIds: [
            'registry'
          ]
        }
      }
    ]
  }
}
