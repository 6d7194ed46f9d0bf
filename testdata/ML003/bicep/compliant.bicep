param groupIds array

param deployQueueTable bool

var subnetId = resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'pe')

resource r0 'Microsoft.Storage/storageAccounts@2023-01-01' = {
  name: 'stml'
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
  name: 'stgroups'
  location: 'westeurope'
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {}
}

resource r2 'Microsoft.MachineLearningServices/workspaces@2024-04-01' = {
  name: 'ws-private'
  location: 'westeurope'
  properties: {
    storageAccount: resourceId('Microsoft.Storage/storageAccounts', 'stml')
    publicNetworkAccess: 'Disabled'
  }
}

resource r3 'Microsoft.MachineLearningServices/workspaces@2024-04-01' = {
  name: 'ws-public'
  location: 'westeurope'
  properties: {
    storageAccount: resourceId('Microsoft.Storage/storageAccounts', 'stgroups')
    publicNetworkAccess: 'Enabled'
  }
}

resource r4 'Microsoft.MachineLearningServices/workspaces@2024-04-01' = {
  name: 'ws-unknown-groups'
  location: 'westeurope'
  properties: {
    storageAccount: resourceId('Microsoft.Storage/storageAccounts', 'stgroups')
    publicNetworkAccess: 'Disabled'
  }
}

resource r5 'Microsoft.MachineLearningServices/workspaces@2024-04-01' = {
  name: 'ws-outside'
  location: 'westeurope'
  properties: {
    storageAccount: '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/shared/providers/Microsoft.Storage/storageAccounts/stshared'
    publicNetworkAccess: 'Disabled'
  }
}

resource r6 'Microsoft.Storage/storageAccounts@2023-01-01' = {
  name: 'stmaybe'
  location: 'westeurope'
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {}
}

resource r7 'Microsoft.MachineLearningServices/workspaces@2024-04-01' = {
  name: 'ws-maybe'
  location: 'westeurope'
  properties: {
    storageAccount: resourceId('Microsoft.Storage/storageAccounts', 'stmaybe')
    publicNetworkAccess: 'Disabled'
  }
}

resource r8 'Microsoft.Network/privateEndpoints@2023-09-01' = {
  name: 'pe-stmaybe'
  location: 'westeurope'
  properties: {
    subnet: {
      id: resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'pe')
    }
    privateLinkServiceConnections: [
      {
        name: 'blob'
        properties: {
          privateLinkServiceId: resourceId('Microsoft.Storage/storageAccounts', 'stmaybe')
          groupIds: [
            'blob'
          ]
        }
      }
      {
        name: 'file'
        properties: {
          privateLinkServiceId: resourceId('Microsoft.Storage/storageAccounts', 'stmaybe')
          groupIds: [
            'file'
          ]
        }
      }
    ]
  }
}

resource r9 'Microsoft.Network/privateEndpoints@2023-09-01' = if (deployQueueTable) {
  name: 'pe-stmaybe-rest'
  location: 'westeurope'
  properties: {
    subnet: {
      id: resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'pe')
    }
    privateLinkServiceConnections: [
      {
        name: 'queue'
        properties: {
          privateLinkServiceId: resourceId('Microsoft.Storage/storageAccounts', 'stmaybe')
          groupIds: [
            'queue'
          ]
        }
      }
      {
        name: 'table'
        properties: {
          privateLinkServiceId: resourceId('Microsoft.Storage/storageAccounts', 'stmaybe')
          groupIds: [
            'table'
          ]
        }
      }
    ]
  }
}

resource r10 'Microsoft.MachineLearningServices/workspaces@2024-10-01' = {
  name: 'hub-project'
  location: 'westeurope'
  kind: 'Project'
  properties: {
    hubResourceId: '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/shared/providers/Microsoft.MachineLearningServices/workspaces/hub'
    storageAccount: resourceId('Microsoft.Storage/storageAccounts', 'stproject')
    publicNetworkAccess: 'Disabled'
  }
}

resource r11 'Microsoft.Storage/storageAccounts@2023-01-01' = {
  name: 'stproject'
  location: 'westeurope'
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {}
}

resource r12 'Microsoft.Network/privateEndpoints@2023-09-01' = {
  name: 'pe-st-blob'
  location: 'westeurope'
  properties: {
    subnet: {
      id: subnetId
    }
    privateLinkServiceConnections: [
      {
        name: 'blob'
        properties: {
          privateLinkServiceId: resourceId('Microsoft.Storage/storageAccounts', 'stml')
          groupIds: [
            'blob'
          ]
        }
      }
    ]
  }
}

resource r13 'Microsoft.Network/privateEndpoints@2023-09-01' = {
  name: 'pe-st-file'
  location: 'westeurope'
  properties: {
    subnet: {
      id: subnetId
    }
    manualPrivateLinkServiceConnections: [
      {
        name: 'file'
        properties: {
          privateLinkServiceId: resourceId('Microsoft.Storage/storageAccounts', 'stml')
          groupIds: [
            'File'
          ]
        }
      }
    ]
  }
}

resource r14 'Microsoft.Network/privateEndpoints@2023-09-01' = {
  name: 'pe-st-queue'
  location: 'westeurope'
  properties: {
    subnet: {
      id: subnetId
    }
    privateLinkServiceConnections: [
      {
        name: 'queue'
        properties: {
          privateLinkServiceId: resourceId('Microsoft.Storage/storageAccounts', 'stml')
          groupIds: [
            'queue'
          ]
        }
      }
    ]
  }
}

resource r15 'Microsoft.Network/privateEndpoints@2023-09-01' = {
  name: 'pe-st-table'
  location: 'westeurope'
  properties: {
    subnet: {
      id: subnetId
    }
    privateLinkServiceConnections: [
      {
        name: 'table'
        properties: {
          privateLinkServiceId: resourceId('Microsoft.Storage/storageAccounts', 'stml')
          groupIds: [
            'table'
          ]
        }
      }
    ]
  }
}

resource r16 'Microsoft.Network/privateEndpoints@2023-09-01' = {
  name: 'pe-stgroups'
  location: 'westeurope'
  properties: {
    subnet: {
      id: subnetId
    }
    privateLinkServiceConnections: [
      {
        name: 'some'
        properties: {
          privateLinkServiceId: resourceId('Microsoft.Storage/storageAccounts', 'stgroups')
          groupIds: groupIds
        }
      }
    ]
  }
}
