param access string

resource r0 'Microsoft.MachineLearningServices/workspaces@2024-04-01' = {
  name: 'ws'
  location: 'westeurope'
  properties: {
    publicNetworkAccess: 'Disabled'
  }
}

resource r1 'Microsoft.MachineLearningServices/workspaces/batchEndpoints@2024-04-01' = {
  name: 'ws/scoring'
  location: 'westeurope'
  properties: {
    authMode: 'AADToken'
  }
}

resource r2 'Microsoft.MachineLearningServices/workspaces/batchEndpoints/deployments@2024-04-01' = {
  name: 'ws/scoring/default'
  location: 'westeurope'
  properties: {
    compute: 'cluster'
    model: {
      referenceType: 'Id'
      assetId: 'azureml:model:1'
    }
  }
}

resource r3 'Microsoft.MachineLearningServices/workspaces/batchEndpoints@2024-04-01' = {
  name: 'ws/nulled'
  location: 'westeurope'
  properties: {
    authMode: 'AADToken'
    publicNetworkAccess: null
  }
}

resource r4 'Microsoft.MachineLearningServices/workspaces/batchEndpoints@2024-04-01' = {
  name: 'ws/param'
  location: 'westeurope'
  properties: {
    authMode: 'AADToken'
    publicNetworkAccess: access
  }
}

resource r5 'Microsoft.MachineLearningServices/workspaces/onlineEndpoints@2024-04-01' = {
  name: 'ws/online'
  location: 'westeurope'
  properties: {
    authMode: 'Key'
    publicNetworkAccess: 'Disabled'
  }
}
