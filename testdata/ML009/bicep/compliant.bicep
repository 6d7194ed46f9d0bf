param disableLocalAuth bool

resource r0 'Microsoft.MachineLearningServices/workspaces/computes@2024-04-01' = {
  name: 'ws/cluster'
  location: 'westeurope'
  properties: {
    computeType: 'AmlCompute'
    disableLocalAuth: true
    properties: {
      vmSize: 'STANDARD_DS3_V2'
    }
  }
}

resource r1 'Microsoft.MachineLearningServices/workspaces/computes@2024-04-01' = {
  name: 'ws/instance-param'
  location: 'westeurope'
  properties: {
    computeType: 'ComputeInstance'
    disableLocalAuth: disableLocalAuth
    properties: {
      vmSize: 'STANDARD_DS3_V2'
    }
  }
}
