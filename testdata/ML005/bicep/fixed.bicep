resource r0 'Microsoft.MachineLearningServices/workspaces@2024-04-01' = {
  name: 'ws'
  location: 'westeurope'
  properties: {
    publicNetworkAccess: 'Disabled'
  }
  resource r0_0 'batchEndpoints@2024-04-01' = {
    name: 'scoring'
    location: 'westeurope'
    properties: {
      authMode: 'AADToken'
    }
  }
}

resource r1 'Microsoft.MachineLearningServices/workspaces/batchEndpoints/deployments@2024-04-01' = {
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

resource r2 'Microsoft.MachineLearningServices/workspaces/batchEndpoints@2024-04-01' = {
  name: 'ws/open'
  location: 'westeurope'
  properties: {
    authMode: 'AADToken'
  }
}
