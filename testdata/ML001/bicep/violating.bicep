resource r0 'Microsoft.MachineLearningServices/workspaces@2024-04-01' = {
  name: 'ws-default'
  location: 'westeurope'
  identity: {
    'type': 'SystemAssigned'
  }
  properties: {
    friendlyName: 'Résumé parsing — team ß'
  }
}

resource r1 'Microsoft.MachineLearningServices/workspaces@2024-04-01' = {
  name: 'ws-public'
  location: 'westeurope'
  properties: {
    friendlyName: '日本語のワークスペース'
    publicNetworkAccess: 'Enabled'
  }
}

resource r2 'Microsoft.MachineLearningServices/workspaces@2024-04-01' = {
  name: 'ws-behind-vnet'
  location: 'westeurope'
  properties: {
    publicNetworkAccess: 'Disabled'
    allowPublicAccessWhenBehindVnet: true
  }
}
