param api string

resource r0 'Microsoft.Batch/batchAccounts@2024-07-01' = {
  name: 'acct'
  location: 'westeurope'
  properties: {}
}

resource r1 'Microsoft.Batch/batchAccounts@2024-07-01' = {
  name: 'acct-pe'
  location: 'westeurope'
  properties: {}
}

resource r2 'Microsoft.MachineLearningServices/workspaces@2024-04-01' = {
  name: 'ws'
  location: 'westeurope'
  properties: {
    publicNetworkAccess: 'Disabled'
  }
}

resource r3 'Microsoft.Network/natGateways@2023-09-01' = {
  name: 'natgw'
  location: 'westeurope'
  sku: {
    name: 'Standard'
  }
  properties: {}
}

resource r4 'Microsoft.Network/routeTables@2023-09-01' = {
  name: 'rt-fw'
  location: 'westeurope'
  properties: {
    routes: [
      {
        name: 'default'
        properties: {
          addressPrefix: '0.0.0.0/0'
          nextHopType: 'VirtualAppliance'
          nextHopIpAddress: '10.0.9.4'
        }
      }
    ]
  }
}

resource r5 'Microsoft.Network/routeTables@2023-09-01' = {
  name: 'rt-gw'
  location: 'westeurope'
  properties: {
    routes: [
      {
        name: 'default'
        properties: {
          addressPrefix: '0.0.0.0/0'
          nextHopType: 'VirtualNetworkGateway'
        }
      }
    ]
  }
}

resource r6 'Microsoft.Network/virtualNetworks/subnets@2023-09-01' = {
  name: 'vnet/nat'
  properties: {
    addressPrefix: '10.0.1.0/24'
    natGateway: {
      id: resourceId('Microsoft.Network/natGateways', 'natgw')
    }
    defaultOutboundAccess: false
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
  name: 'vnet/gw'
  properties: {
    addressPrefix: '10.0.3.0/24'
    routeTable: {
      id: resourceId('Microsoft.Network/routeTables', 'rt-gw')
    }
  }
}

resource r9 'Microsoft.Network/virtualNetworks/subnets@2024-05-01' = {
  name: 'vnet/plain'
  properties: {
    addressPrefix: '10.0.4.0/24'
  }
}

resource r10 'Microsoft.MachineLearningServices/workspaces/computes@2024-04-01' = {
  name: 'ws/nat'
  location: 'westeurope'
  properties: {
    computeType: 'AmlCompute'
    properties: {
      vmSize: 'STANDARD_DS3_V2'
      subnet: {
        id: resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'nat')
      }
      enableNodePublicIp: false
    }
  }
}

resource r11 'Microsoft.MachineLearningServices/workspaces/computes@2024-04-01' = {
  name: 'ws/firewall'
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

resource r12 'Microsoft.Batch/batchAccounts/pools@2024-07-01' = {
  name: 'acct/gateway'
  properties: {
    vmSize: 'STANDARD_D2S_V3'
    deploymentConfiguration: {
      virtualMachineConfiguration: {
        nodeAgentSkuId: 'batch.node.ubuntu 22.04'
      }
    }
    networkConfiguration: {
      subnetId: resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'gw')
      publicIPAddressConfiguration: {
        provision: 'NoPublicIPAddresses'
      }
    }
    targetNodeCommunicationMode: 'Simplified'
  }
}

resource r13 'Microsoft.MachineLearningServices/workspaces/computes@2024-04-01' = {
  name: 'ws/public'
  location: 'westeurope'
  properties: {
    computeType: 'AmlCompute'
    properties: {
      vmSize: 'STANDARD_DS3_V2'
      subnet: {
        id: resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'plain')
      }
    }
  }
}

resource r14 'Microsoft.Batch/batchAccounts/pools@2024-07-01' = {
  name: 'acct-pe/node-management-pe'
  properties: {
    vmSize: 'STANDARD_D2S_V3'
    deploymentConfiguration: {
      virtualMachineConfiguration: {
        nodeAgentSkuId: 'batch.node.ubuntu 22.04'
      }
    }
    networkConfiguration: {
      subnetId: resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'plain')
      publicIPAddressConfiguration: {
        provision: 'NoPublicIPAddresses'
      }
    }
    targetNodeCommunicationMode: 'Simplified'
  }
}

resource r15 'Microsoft.Network/privateEndpoints@2023-09-01' = {
  name: 'pe-node-management'
  location: 'westeurope'
  properties: {
    privateLinkServiceConnections: [
      {
        name: 'pe-node-management'
        properties: {
          privateLinkServiceId: resourceId('Microsoft.Batch/batchAccounts', 'acct-pe')
          groupIds: [
            'nodeManagement'
          ]
        }
      }
    ]
  }
}
