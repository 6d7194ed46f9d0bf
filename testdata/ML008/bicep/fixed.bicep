param publicIp bool

resource r0 'Microsoft.MachineLearningServices/workspaces/computes@2024-04-01' = {
  name: 'ws/cluster-enabled'
  location: 'westeurope'
  properties: {
    computeType: 'AmlCompute'
    properties: {
      vmSize: 'STANDARD_DS3_V2'
      subnet: {
        id: resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'compute')
      }
      remoteLoginPortPublicAccess: 'Disabled'
    }
  }
}

resource r1 'Microsoft.MachineLearningServices/workspaces/computes@2024-04-01' = {
  name: 'ws/cluster-default'
  location: 'westeurope'
  properties: {
    computeType: 'AmlCompute'
    properties: {
      vmSize: 'STANDARD_DS3_V2'
      enableNodePublicIp: true
      remoteLoginPortPublicAccess: 'Disabled'
    }
  }
}

resource r2 'Microsoft.MachineLearningServices/workspaces/computes@2024-04-01' = {
  name: 'ws/cluster-notspecified'
  location: 'westeurope'
  properties: {
    computeType: 'AmlCompute'
    properties: {
      vmSize: 'STANDARD_DS3_V2'
      remoteLoginPortPublicAccess: 'Disabled'
    }
  }
}

resource r3 'Microsoft.MachineLearningServices/workspaces/computes@2024-04-01' = {
  name: 'ws/instance'
  location: 'westeurope'
  properties: {
    computeType: 'ComputeInstance'
    properties: {
      vmSize: 'STANDARD_DS3_V2'
      sshSettings: {
        sshPublicAccess: 'Disabled'
        adminPublicKey: 'ssh-rsa AAAA'
      }
    }
  }
}

// A public IP from a parameter without a value is not known to be off.
resource rParam 'Microsoft.MachineLearningServices/workspaces/computes@2024-04-01' = {
  name: 'ws/cluster-param'
  location: 'westeurope'
  properties: {
    computeType: 'AmlCompute'
    properties: {
      vmSize: 'STANDARD_DS3_V2'
      enableNodePublicIp: publicIp
      remoteLoginPortPublicAccess: 'Disabled'
    }
  }
}
