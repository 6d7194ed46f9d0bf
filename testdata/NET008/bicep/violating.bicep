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

resource r3 'Microsoft.Network/virtualNetworks/subnets@2024-05-01' = {
  name: 'vnet/old-api'
  properties: {
    addressPrefix: '10.0.1.0/24'
  }
}

resource r4 'Microsoft.Network/virtualNetworks/subnets@2025-07-01' = {
  name: 'vnet/explicit-true'
  properties: {
    addressPrefix: '10.0.2.0/24'
    routeTable: {
      id: resourceId('Microsoft.Network/routeTables', 'rt-internet')
    }
    defaultOutboundAccess: true
  }
}

resource r5 'Microsoft.Network/virtualNetworks/subnets@2025-07-01' = {
  name: 'vnet/private'
  properties: {
    addressPrefix: '10.0.3.0/24'
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
        id: resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'old-api')
      }
      enableNodePublicIp: false
    }
  }
}

resource r7 'Microsoft.Batch/batchAccounts/pools@2024-07-01' = {
  name: 'acct/private-pool'
  properties: {
    vmSize: 'STANDARD_D2S_V3'
    deploymentConfiguration: {
      virtualMachineConfiguration: {
        nodeAgentSkuId: 'batch.node.ubuntu 22.04'
      }
    }
    networkConfiguration: {
      subnetId: resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'explicit-true')
      publicIPAddressConfiguration: {
        provision: 'NoPublicIPAddresses'
      }
    }
    targetNodeCommunicationMode: 'Simplified'
  }
}

resource r8 'Microsoft.MachineLearningServices/workspaces/computes@2024-04-01' = {
  name: 'ws/instance'
  location: 'westeurope'
  properties: {
    computeType: 'ComputeInstance'
    properties: {
      vmSize: 'STANDARD_DS3_V2'
      subnet: {
        id: resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'private')
      }
      enableNodePublicIp: false
    }
  }
}
