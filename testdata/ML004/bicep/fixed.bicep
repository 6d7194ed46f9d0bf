resource r0 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: 'acrquarantine'
  location: 'westeurope'
  sku: {
    name: 'Premium'
  }
  properties: {
    publicNetworkAccess: 'Disabled'
    policies: {
      quarantinePolicy: {
        status: 'disabled'
      }
    }
  }
}

resource r1 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: 'acrshared'
  location: 'westeurope'
  sku: {
    name: 'Premium'
  }
  properties: {
    policies: {
      quarantinePolicy: {
        status: 'disabled'
      }
    }
  }
}

resource r2 'Microsoft.MachineLearningServices/workspaces@2024-04-01' = {
  name: 'ws-private'
  location: 'westeurope'
  properties: {
    containerRegistry: resourceId('Microsoft.ContainerRegistry/registries', 'acrquarantine')
    publicNetworkAccess: 'Disabled'
  }
}

resource r3 'Microsoft.MachineLearningServices/workspaces@2024-04-01' = {
  name: 'ws-a'
  location: 'westeurope'
  properties: {
    containerRegistry: resourceId('Microsoft.ContainerRegistry/registries', 'acrshared')
    publicNetworkAccess: 'Disabled'
  }
}

resource r4 'Microsoft.MachineLearningServices/workspaces@2024-04-01' = {
  name: 'ws-b'
  location: 'westeurope'
  properties: {
    containerRegistry: resourceId('Microsoft.ContainerRegistry/registries', 'acrshared')
    publicNetworkAccess: 'Disabled'
  }
}
