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
  name: 'rt-fw-aml'
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
      {
        name: 'aml'
        properties: {
          addressPrefix: 'AzureMachineLearning'
          nextHopType: 'Internet'
        }
      }
      {
        name: 'batch'
        properties: {
          addressPrefix: 'BatchNodeManagement.westeurope'
          nextHopType: 'Internet'
        }
      }
    ]
  }
}

resource r3 'Microsoft.Network/routeTables@2023-09-01' = {
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
    ]
  }
}

resource r4 'Microsoft.Network/routeTables@2023-09-01' = {
  name: 'rt-fw-cidr'
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
      {
        name: 'azure-range'
        properties: {
          addressPrefix: '20.0.0.0/8'
          nextHopType: 'Internet'
        }
      }
    ]
  }
}

resource r5 'Microsoft.Network/routeTables@2023-09-01' = {
  name: 'rt-internet'
  location: 'westeurope'
  properties: {
    routes: [
      {
        name: 'default'
        properties: {
          addressPrefix: '0.0.0.0/0'
          nextHopType: 'Internet'
        }
      }
    ]
  }
}

resource r6 'Microsoft.Network/virtualNetworks/subnets@2023-09-01' = {
  name: 'vnet/fw-aml'
  properties: {
    addressPrefix: '10.0.1.0/24'
    routeTable: {
      id: resourceId('Microsoft.Network/routeTables', 'rt-fw-aml')
    }
  }
}

resource r7 'Microsoft.Network/virtualNetworks/subnets@2023-09-01' = {
  name: 'vnet/fw'
  properties: {
    addressPrefix: '10.0.2.0/24'
    routeTable: {
      id: resourceId('Microsoft.Network/routeTables', 'rt-fw')
    }
  }
}

resource r8 'Microsoft.Network/virtualNetworks/subnets@2023-09-01' = {
  name: 'vnet/fw-cidr'
  properties: {
    addressPrefix: '10.0.3.0/24'
    routeTable: {
      id: resourceId('Microsoft.Network/routeTables', 'rt-fw-cidr')
    }
  }
}

resource r9 'Microsoft.Network/virtualNetworks/subnets@2023-09-01' = {
  name: 'vnet/internet'
  properties: {
    addressPrefix: '10.0.4.0/24'
    routeTable: {
      id: resourceId('Microsoft.Network/routeTables', 'rt-internet')
    }
  }
}

resource r10 'Microsoft.MachineLearningServices/workspaces/computes@2024-04-01' = {
  name: 'ws/with-route'
  location: 'westeurope'
  properties: {
    computeType: 'AmlCompute'
    properties: {
      vmSize: 'STANDARD_DS3_V2'
      subnet: {
        id: resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'fw-aml')
      }
    }
  }
}

resource r11 'Microsoft.MachineLearningServices/workspaces/computes@2024-04-01' = {
  name: 'ws/no-public-ip'
  location: 'westeurope'
  properties: {
    computeType: 'AmlCompute'
    properties: {
      vmSize: 'STANDARD_DS3_V2'
      subnet: {
        id: resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'fw')
      }
      enableNodePublicIp: false
    }
  }
}

resource r12 'Microsoft.MachineLearningServices/workspaces/computes@2024-04-01' = {
  name: 'ws/cidr-route'
  location: 'westeurope'
  properties: {
    computeType: 'AmlCompute'
    properties: {
      vmSize: 'STANDARD_DS3_V2'
      subnet: {
        id: resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'fw-cidr')
      }
    }
  }
}

resource r13 'Microsoft.MachineLearningServices/workspaces/computes@2024-04-01' = {
  name: 'ws/no-forced-tunnel'
  location: 'westeurope'
  properties: {
    computeType: 'AmlCompute'
    properties: {
      vmSize: 'STANDARD_DS3_V2'
      subnet: {
        id: resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'internet')
      }
    }
  }
}

resource r14 'Microsoft.Batch/batchAccounts/pools@2024-07-01' = {
  name: 'acct/classic-with-route'
  properties: {
    vmSize: 'STANDARD_D2S_V3'
    deploymentConfiguration: {
      virtualMachineConfiguration: {
        nodeAgentSkuId: 'batch.node.ubuntu 22.04'
      }
    }
    networkConfiguration: {
      subnetId: resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'fw-aml')
    }
    targetNodeCommunicationMode: 'Classic'
  }
}

resource r15 'Microsoft.Batch/batchAccounts/pools@2024-07-01' = {
  name: 'acct/simplified'
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
    targetNodeCommunicationMode: 'Simplified'
  }
}

resource r16 'Microsoft.Batch/batchAccounts/pools@2024-07-01' = {
  name: 'acct/default-mode'
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
  }
}
