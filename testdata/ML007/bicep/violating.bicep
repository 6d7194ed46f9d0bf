resource r0 'Microsoft.MachineLearningServices/workspaces/computes@2024-04-01' = {
  name: 'ws/cluster-default'
  location: 'westeurope'
  properties: {
    computeType: 'AmlCompute'
    properties: {
      vmSize: 'STANDARD_DS3_V2'
      scaleSettings: {
        minNodeCount: 0
        maxNodeCount: 4
      }
    }
  }
}

resource r1 'Microsoft.MachineLearningServices/workspaces@2024-04-01' = {
  name: 'ws'
  location: 'westeurope'
  properties: {
    publicNetworkAccess: 'Disabled'
  }
  resource r1_0 'computes@2024-04-01' = {
    name: 'instance-public'
    location: 'westeurope'
    properties: {
      computeType: 'ComputeInstance'
      properties: {
        vmSize: 'STANDARD_DS3_V2'
        enableNodePublicIp: true
      }
    }
  }
}
