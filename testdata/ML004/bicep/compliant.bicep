param quarantineStatus string

resource r0 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: 'acrdisabled'
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

resource r1 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: 'acromitted'
  location: 'westeurope'
  sku: {
    name: 'Premium'
  }
  properties: {}
}

resource r2 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: 'acrquarantine'
  location: 'westeurope'
  sku: {
    name: 'Premium'
  }
  properties: {
    policies: {
      quarantinePolicy: {
        status: 'enabled'
      }
    }
  }
}

resource r3 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: 'acrparam'
  location: 'westeurope'
  sku: {
    name: 'Premium'
  }
  properties: {
    policies: {
      quarantinePolicy: {
        status: quarantineStatus
      }
    }
  }
}

resource r4 'Microsoft.MachineLearningServices/workspaces@2024-04-01' = {
  name: 'ws-disabled'
  location: 'westeurope'
  properties: {
    containerRegistry: resourceId('Microsoft.ContainerRegistry/registries', 'acrdisabled')
    publicNetworkAccess: 'Disabled'
  }
}

resource r5 'Microsoft.MachineLearningServices/workspaces@2024-04-01' = {
  name: 'ws-omitted'
  location: 'westeurope'
  properties: {
    containerRegistry: resourceId('Microsoft.ContainerRegistry/registries', 'acromitted')
    publicNetworkAccess: 'Disabled'
  }
}

resource r6 'Microsoft.MachineLearningServices/workspaces@2024-04-01' = {
  name: 'ws-public'
  location: 'westeurope'
  properties: {
    containerRegistry: resourceId('Microsoft.ContainerRegistry/registries', 'acrquarantine')
    publicNetworkAccess: 'Enabled'
  }
}

resource r7 'Microsoft.MachineLearningServices/workspaces@2024-04-01' = {
  name: 'ws-param'
  location: 'westeurope'
  properties: {
    containerRegistry: resourceId('Microsoft.ContainerRegistry/registries', 'acrparam')
    publicNetworkAccess: 'Disabled'
  }
}
