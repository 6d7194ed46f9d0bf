param serverlessSubnetId string

param noPublicIp bool

var subnetId = resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet-ml', 'serverless')

resource r0 'Microsoft.MachineLearningServices/workspaces@2024-10-01' = {
  name: 'ws-no-public-ip'
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
  name: 'ws-azure-network'
  location: 'westeurope'
  properties: {
    publicNetworkAccess: 'Disabled'
    serverlessComputeSettings: {
      serverlessComputeNoPublicIP: false
    }
  }
}

resource r2 'Microsoft.MachineLearningServices/workspaces@2024-10-01' = {
  name: 'ws-unknown'
  location: 'westeurope'
  properties: {
    publicNetworkAccess: 'Disabled'
    serverlessComputeSettings: {
      serverlessComputeCustomSubnet: serverlessSubnetId
    }
  }
}

resource r3 'Microsoft.MachineLearningServices/workspaces@2024-10-01' = {
  name: 'ws-unknown-flag'
  location: 'westeurope'
  properties: {
    publicNetworkAccess: 'Disabled'
    serverlessComputeSettings: {
      serverlessComputeCustomSubnet: subnetId
      serverlessComputeNoPublicIP: noPublicIp
    }
  }
}
