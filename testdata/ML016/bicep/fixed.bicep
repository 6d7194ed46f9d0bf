var subnetId = resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet-ml', 'serverless')

resource r0 'Microsoft.MachineLearningServices/workspaces@2024-10-01' = {
  name: 'ws-default'
  location: 'westeurope'
  properties: {
    publicNetworkAccess: 'Disabled'
    serverlessComputeSettings: {
      serverlessComputeCustomSubnet: subnetId
      serverlessComputeNoPublicIP: true
    }
  }
}

resource r1 'Microsoft.MachineLearningServices/workspaces@2024-10-01' = {
  name: 'ws-explicit'
  location: 'westeurope'
  properties: {
    publicNetworkAccess: 'Disabled'
    serverlessComputeSettings: {
      serverlessComputeCustomSubnet: subnetId
      serverlessComputeNoPublicIP: true
    }
  }
}
