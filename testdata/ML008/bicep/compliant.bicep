resource r0 'Microsoft.MachineLearningServices/workspaces/computes@2024-04-01' = {
  name: 'ws/cluster-disabled'
  location: 'westeurope'
  properties: {
    computeType: 'AmlCompute'
    properties: {
      vmSize: 'STANDARD_DS3_V2'
      remoteLoginPortPublicAccess: 'Disabled'
    }
  }
}

resource r1 'Microsoft.MachineLearningServices/workspaces/computes@2024-04-01' = {
  name: 'ws/cluster-subnet'
  location: 'westeurope'
  properties: {
    computeType: 'AmlCompute'
    properties: {
      vmSize: 'STANDARD_DS3_V2'
      subnet: {
        id: resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'compute')
      }
    }
  }
}

resource r2 'Microsoft.MachineLearningServices/workspaces/computes@2024-04-01' = {
  name: 'ws/cluster-no-public-ip'
  location: 'westeurope'
  properties: {
    computeType: 'AmlCompute'
    properties: {
      vmSize: 'STANDARD_DS3_V2'
      subnet: {
        id: resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'compute')
      }
      enableNodePublicIp: false
      remoteLoginPortPublicAccess: 'Enabled'
    }
  }
}

resource r4 'Microsoft.MachineLearningServices/workspaces/computes@2024-04-01' = {
  name: 'ws/instance'
  location: 'westeurope'
  properties: {
    computeType: 'ComputeInstance'
    properties: {
      vmSize: 'STANDARD_DS3_V2'
      sshSettings: {
        adminPublicKey: 'ssh-rsa AAAA'
      }
    }
  }
}
