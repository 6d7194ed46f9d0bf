resource r0 'Microsoft.Batch/batchAccounts/pools@2024-07-01' = {
  name: 'batchacct/web-pool'
  properties: {
    vmSize: 'STANDARD_D2S_V3'
    deploymentConfiguration: {
      virtualMachineConfiguration: {
        imageReference: {
          publisher: 'canonical'
          offer: '0001-com-ubuntu-server-jammy'
          sku: '22_04-lts'
        }
        nodeAgentSkuId: 'batch.node.ubuntu 22.04'
      }
    }
    networkConfiguration: {
      endpointConfiguration: {
        inboundNatPools: [
          {
            name: 'web'
            protocol: 'TCP'
            backendPort: 8080
            frontendPortRangeStart: 6000
            frontendPortRangeEnd: 6100
            networkSecurityGroupRules: [
              {
                priority: 150
                access: 'Allow'
                sourceAddressPrefix: '*'
              }
              {
                priority: 200
                access: 'Deny'
                sourceAddressPrefix: 'Internet'
              }
            ]
          }
          {
            name: 'metrics'
            protocol: 'TCP'
            backendPort: 9100
            frontendPortRangeStart: 7000
            frontendPortRangeEnd: 7100
            networkSecurityGroupRules: [
              {
                priority: 150
                access: 'Deny'
                sourceAddressPrefix: '10.0.0.0/8'
              }
              {
                priority: 160
                access: 'Allow'
                sourceAddressPrefix: '10.1.0.0/16'
              }
              {
                priority: 170
                access: 'Deny'
                sourceAddressPrefix: '*'
                sourcePortRanges: [
                  '1024-65535'
                ]
              }
              {
                priority: 180
                access: 'Allow'
                sourceAddressPrefix: '192.168.1.0/24'
                sourcePortRanges: [
                  '2000-3000'
                ]
              }
              {
                priority: 4096
                access: 'Deny'
                sourceAddressPrefix: '*'
              }
            ]
          }
        ]
      }
    }
  }
}
