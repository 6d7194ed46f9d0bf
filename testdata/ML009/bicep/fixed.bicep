resource r0 'Microsoft.MachineLearningServices/workspaces/computes@2024-04-01' = {
  name: 'ws/cluster-default'
  location: 'westeurope'
  properties: {
    computeType: 'AmlCompute'
    properties: {
      vmSize: 'STANDARD_DS3_V2'
    }
    disableLocalAuth: true
  }
}

resource r1 'Microsoft.MachineLearningServices/workspaces/computes@2024-04-01' = {
  name: 'ws/instance-local'
  location: 'westeurope'
  properties: {
    computeType: 'ComputeInstance'
    disableLocalAuth: true
    properties: {
      vmSize: 'STANDARD_DS3_V2'
    }
  }
}

resource r2 'Microsoft.MachineLearningServices/workspaces/computes@2024-04-01' = {
  name: 'ws/aks'
  location: 'westeurope'
  properties: {
    computeType: 'Kubernetes'
    resourceId: resourceId('Microsoft.ContainerService/managedClusters', 'aks')
    disableLocalAuth: true
  }
}
