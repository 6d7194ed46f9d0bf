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
            ]
          }
        ]
      }
    }
  }
}

resource r1 'Microsoft.Batch/batchAccounts/pools@2024-07-01' = {
  name: 'batchacct/dual-stack-app'
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
          'IPv6'
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
