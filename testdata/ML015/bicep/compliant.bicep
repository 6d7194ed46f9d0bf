param isolationMode string

resource r0 'Microsoft.MachineLearningServices/workspaces@2024-04-01' = {
  name: 'ws-approved'
  location: 'westeurope'
  properties: {
    managedNetwork: {
      isolationMode: 'AllowOnlyApprovedOutbound'
    }
  }
}

resource r1 'Microsoft.MachineLearningServices/workspaces@2024-04-01' = {
  name: 'ws-no-managed-network'
  location: 'westeurope'
  properties: {
    managedNetwork: {
      isolationMode: 'Disabled'
    }
  }
}

resource r2 'Microsoft.MachineLearningServices/workspaces@2024-04-01' = {
  name: 'ws-omitted'
  location: 'westeurope'
  properties: {}
}

resource r3 'Microsoft.MachineLearningServices/workspaces@2024-04-01' = {
  name: 'ws-param'
  location: 'westeurope'
  properties: {
    managedNetwork: {
      isolationMode: isolationMode
    }
  }
}
