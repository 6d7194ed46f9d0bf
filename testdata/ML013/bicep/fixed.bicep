resource r0 'Microsoft.Batch/batchAccounts@2024-07-01' = {
  name: 'acct'
  location: 'westeurope'
  properties: {}
}

resource r1 'Microsoft.MachineLearningServices/workspaces@2024-04-01' = {
  name: 'ws'
  location: 'westeurope'
  properties: {
    publicNetworkAccess: 'Disabled'
  }
}

resource r2 'Microsoft.Network/routeTables@2023-09-01' = {
  name: 'rt-fw'
  location: 'westeurope'
  properties: {
    routes: [
      {
        name: 'default-to-firewall'
        properties: {
          addressPrefix: '0.0.0.0/0'
          nextHopType: 'VirtualAppliance'
          nextHopIpAddress: '10.0.9.4'
        }
      }
      { name: 'BatchNodeManagement-Internet', properties: { addressPrefix: 'BatchNodeManagement', nextHopType: 'Internet' } }
      { name: 'AzureMachineLearning-Internet', properties: { addressPrefix: 'AzureMachineLearning', nextHopType: 'Internet' } }
    ]
  }
}

resource r3 'Microsoft.Network/routeTables@2023-09-01' = {
  name: 'rt-fw-ecmp-wrong-region'
  location: 'westeurope'
  properties: {
    routes: [
      {
        name: 'default'
        properties: {
          addressPrefix: '0.0.0.0/0'
          nextHopType: 'VirtualApplianceEcmp'
          nextHopIpAddress: '10.0.9.4'
        }
      }
      {
        name: 'aml-eastus'
        properties: {
          addressPrefix: 'AzureMachineLearning.eastus'
          nextHopType: 'Internet'
        }
      }
      {
        name: 'storage'
        properties: {
          addressPrefix: 'Storage'
          nextHopType: 'Internet'
        }
      }
      { name: 'AzureMachineLearning-Internet', properties: { addressPrefix: 'AzureMachineLearning', nextHopType: 'Internet' } }
    ]
  }
}

resource r4 'Microsoft.Network/virtualNetworks/subnets@2023-09-01' = {
  name: 'vnet/fw'
  properties: {
    addressPrefix: '10.0.1.0/24'
    routeTable: {
      id: resourceId('Microsoft.Network/routeTables', 'rt-fw')
    }
  }
}

resource r5 'Microsoft.Network/virtualNetworks/subnets@2023-09-01' = {
  name: 'vnet/ecmp'
  properties: {
    addressPrefix: '10.0.2.0/24'
    routeTable: {
      id: resourceId('Microsoft.Network/routeTables', 'rt-fw-ecmp-wrong-region')
    }
  }
}

resource r6 'Microsoft.MachineLearningServices/workspaces/computes@2024-04-01' = {
  name: 'ws/cluster'
  location: 'westeurope'
  properties: {
    computeType: 'AmlCompute'
    properties: {
      vmSize: 'STANDARD_DS3_V2'
      subnet: {
        id: resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'fw')
      }
    }
  }
}

resource r7 'Microsoft.MachineLearningServices/workspaces/computes@2024-04-01' = {
  name: 'ws/instance'
  location: 'westeurope'
  properties: {
    computeType: 'ComputeInstance'
    properties: {
      vmSize: 'STANDARD_DS3_V2'
      subnet: {
        id: resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'ecmp')
      }
      enableNodePublicIp: true
    }
  }
}

resource r8 'Microsoft.Batch/batchAccounts/pools@2024-07-01' = {
  name: 'acct/classic'
  properties: {
    vmSize: 'STANDARD_D2S_V3'
    deploymentConfiguration: {
      virtualMachineConfiguration: {
        nodeAgentSkuId: 'batch.node.ubuntu 22.04'
      }
    }
    networkConfiguration: {
      subnetId: resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'fw')
    }
    targetNodeCommunicationMode: 'Classic'
  }
}
