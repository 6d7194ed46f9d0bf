param officeRange string

resource r0 'Microsoft.Batch/batchAccounts/pools@2024-07-01' = {
  name: 'batchacct/web-pool'
  properties: {
    vmSize: 'STANDARD_D2S_V3'
    networkConfiguration: {
      endpointConfiguration: {
        inboundNatPools: [
          {
            name: 'app'
            protocol: 'TCP'
            backendPort: 8080
            frontendPortRangeStart: 4000
            frontendPortRangeEnd: 4100
            networkSecurityGroupRules: [
              {
                priority: 150
                access: 'Allow'
                sourceAddressPrefix: 'AzureFrontDoor.Backend'
              }
              {
                priority: 4000
                access: 'Deny'
                sourceAddressPrefix: '*'
              }
            ]
          }
          {
            name: 'ssh-office'
            protocol: 'TCP'
            backendPort: 22
            frontendPortRangeStart: 5000
            frontendPortRangeEnd: 5100
            networkSecurityGroupRules: [
              {
                priority: 170
                access: 'Allow'
                sourceAddressPrefix: '192.168.1.0/24'
              }
              {
                priority: 180
                access: 'Deny'
                sourceAddressPrefix: '*'
              }
            ]
          }
          {
            name: 'ssh-parameter'
            protocol: 'TCP'
            backendPort: 2222
            frontendPortRangeStart: 6000
            frontendPortRangeEnd: 6100
            networkSecurityGroupRules: [
              {
                priority: 190
                access: 'Allow'
                sourceAddressPrefix: officeRange
              }
            ]
          }
        ]
      }
    }
  }
}

resource r1 'Microsoft.Batch/batchAccounts/pools@2024-07-01' = {
  name: 'batchacct/private-pool'
  properties: {
    vmSize: 'STANDARD_D2S_V3'
    networkConfiguration: {
      subnetId: '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet/subnets/batch'
      publicIPAddressConfiguration: {
        provision: 'NoPublicIPAddresses'
      }
    }
  }
}

resource r2 'Microsoft.Batch/batchAccounts/pools@2024-07-01' = {
  name: 'batchacct/ipv4-only-app'
  properties: {
    vmSize: 'STANDARD_D2S_V3'
    targetNodeCommunicationMode: 'Simplified'
    deploymentConfiguration: {
      virtualMachineConfiguration: {
        nodeAgentSkuId: 'batch.node.ubuntu 22.04'
      }
    }
    networkConfiguration: {
      publicIPAddressConfiguration: {
        provision: 'BatchManaged'
        ipFamilies: [
          'IPv4'
        ]
      }
      endpointConfiguration: {
        inboundNatPools: [
          {
            name: 'app'
            protocol: 'TCP'
            backendPort: 8080
            frontendPortRangeStart: 7000
            frontendPortRangeEnd: 7100
            networkSecurityGroupRules: [
              {
                priority: 150
                access: 'Allow'
                sourceAddressPrefix: '203.0.113.0/24'
              }
              {
                priority: 200
                access: 'Deny'
                sourceAddressPrefix: '0.0.0.0/0'
              }
            ]
          }
        ]
      }
    }
  }
}
