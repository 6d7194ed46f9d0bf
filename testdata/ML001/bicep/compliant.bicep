param access string

resource r0 'Microsoft.MachineLearningServices/workspaces@2024-04-01' = {
  name: 'ws-private'
  location: 'westeurope'
  properties: {
    publicNetworkAccess: 'Disabled'
  }
}

resource r1 'Microsoft.MachineLearningServices/workspaces@2024-04-01' = {
  name: 'ws-param'
  location: 'westeurope'
  properties: {
    publicNetworkAccess: access
  }
}

resource r2 'Microsoft.MachineLearningServices/workspaces@2024-10-01' = {
  name: 'hub'
  location: 'westeurope'
  kind: 'Hub'
  properties: {
    publicNetworkAccess: 'Disabled'
    allowPublicAccessWhenBehindVnet: false
  }
}

resource r3 'Microsoft.MachineLearningServices/workspaces@2024-10-01' = {
  name: 'hub-project'
  location: 'westeurope'
  kind: 'project'
  properties: {
    hubResourceId: resourceId('Microsoft.MachineLearningServices/workspaces', 'hub')
  }
}
