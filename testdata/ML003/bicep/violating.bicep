resource r0 'Microsoft.Storage/storageAccounts@2023-01-01' = {
  name: 'stblobonly'
  location: 'westeurope'
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    publicNetworkAccess: 'Disabled'
  }
}

resource r1 'Microsoft.Storage/storageAccounts@2023-01-01' = {
  name: 'stnone'
  location: 'westeurope'
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {}
}

resource r2 'Microsoft.MachineLearningServices/workspaces@2024-04-01' = {
  name: 'ws-blob-only'
  location: 'westeurope'
  properties: {
    storageAccount: resourceId('Microsoft.Storage/storageAccounts', 'stblobonly')
    publicNetworkAccess: 'Disabled'
  }
}

resource r3 'Microsoft.MachineLearningServices/workspaces@2024-04-01' = {
  name: 'ws-no-storage-endpoints'
  location: 'westeurope'
  properties: {
    storageAccount: resourceId('Microsoft.Storage/storageAccounts', 'stnone')
    publicNetworkAccess: 'disabled'
  }
}

resource r4 'Microsoft.Network/privateEndpoints@2023-09-01' = {
  name: 'pe-st-blob'
  location: 'westeurope'
  properties: {
    subnet: {
      id: resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'pe')
    }
    privateLinkServiceConnections: [
      {
        name: 'blob'
        properties: {
          privateLinkServiceId: resourceId('Microsoft.Storage/storageAccounts', 'stblobonly')
          groupIds: [
            'blob'
          ]
        }
      }
    ]
  }
}
