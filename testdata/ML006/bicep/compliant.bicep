param subnetId string

param isolationMode string

resource r0 'Microsoft.MachineLearningServices/workspaces@2024-04-01' = {
  name: 'ws'
  location: 'westeurope'
  properties: {
    publicNetworkAccess: 'Disabled'
  }
}

resource r1 'Microsoft.MachineLearningServices/workspaces@2024-04-01' = {
  name: 'ws-managed'
  location: 'westeurope'
  properties: {
    managedNetwork: {
      isolationMode: 'AllowOnlyApprovedOutbound'
    }
  }
}

resource r2 'Microsoft.MachineLearningServices/workspaces@2024-04-01' = {
  name: 'ws-param'
  location: 'westeurope'
  properties: {
    managedNetwork: {
      isolationMode: isolationMode
    }
  }
}

resource r3 'Microsoft.MachineLearningServices/workspaces/computes@2024-04-01' = {
  name: 'ws/cluster'
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

resource r4 'Microsoft.MachineLearningServices/workspaces/computes@2024-04-01' = {
  name: 'ws/instance-param'
  location: 'westeurope'
  properties: {
    computeType: 'ComputeInstance'
    properties: {
      vmSize: 'STANDARD_DS3_V2'
      subnet: {
        id: subnetId
      }
    }
  }
}

resource r5 'Microsoft.MachineLearningServices/workspaces/computes@2024-04-01' = {
  name: 'ws-managed/cluster'
  location: 'westeurope'
  properties: {
    computeType: 'AmlCompute'
    properties: {
      vmSize: 'STANDARD_DS3_V2'
    }
  }
}

resource r6 'Microsoft.MachineLearningServices/workspaces/computes@2024-04-01' = {
  name: 'ws-param/cluster'
  location: 'westeurope'
  properties: {
    computeType: 'AmlCompute'
    properties: {
      vmSize: 'STANDARD_DS3_V2'
    }
  }
}

resource r7 'Microsoft.MachineLearningServices/workspaces/computes@2024-04-01' = {
  name: 'ws-elsewhere/cluster'
  location: 'westeurope'
  properties: {
    computeType: 'AmlCompute'
    properties: {
      vmSize: 'STANDARD_DS3_V2'
    }
  }
}

resource r8 'Microsoft.MachineLearningServices/workspaces@2024-10-01' = {
  name: 'hub'
  location: 'westeurope'
  kind: 'Hub'
  properties: {
    managedNetwork: {
      isolationMode: 'AllowOnlyApprovedOutbound'
    }
  }
}

resource r9 'Microsoft.MachineLearningServices/workspaces@2024-10-01' = {
  name: 'hub-project'
  location: 'westeurope'
  kind: 'Project'
  properties: {
    hubResourceId: resourceId('Microsoft.MachineLearningServices/workspaces', 'hub')
  }
}

resource r10 'Microsoft.MachineLearningServices/workspaces/computes@2024-10-01' = {
  name: 'hub-project/instance'
  location: 'westeurope'
  properties: {
    computeType: 'ComputeInstance'
    properties: {
      vmSize: 'STANDARD_DS3_V2'
    }
  }
}

resource r11 'Microsoft.MachineLearningServices/workspaces/computes@2024-04-01' = {
  name: 'ws/aks'
  location: 'westeurope'
  properties: {
    computeType: 'Kubernetes'
    properties: {}
  }
}
