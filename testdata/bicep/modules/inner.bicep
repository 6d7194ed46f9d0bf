param workspaceName string
param publicAccess string = 'Enabled'

resource ws 'Microsoft.MachineLearningServices/workspaces@2024-04-01' = {
  name: workspaceName
  location: resourceGroup().location
  identity: { type: 'SystemAssigned' }
  properties: {
    publicNetworkAccess: publicAccess
  }
}
