param partnerRange string

param latePriority int

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
                access: 'Deny'
                sourceAddressPrefix: 'Internet'
              }
              {
                priority: 200
                access: 'Allow'
                sourceAddressPrefix: '*'
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
                access: 'Allow'
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
              }
            ]
          }
          {
            name: 'api'
            protocol: 'TCP'
            backendPort: 8443
            frontendPortRangeStart: 7200
            frontendPortRangeEnd: 7300
            networkSecurityGroupRules: [
              {
                priority: 150
                access: 'Deny'
                sourceAddressPrefix: '*'
                sourcePortRanges: [
                  '1024-65535'
                ]
              }
              {
                priority: 160
                access: 'Allow'
                sourceAddressPrefix: '10.0.0.0/8'
              }
              {
                priority: 170
                access: 'Deny'
                sourceAddressPrefix: 'Storage.westeurope'
              }
              {
                priority: 180
                access: 'Allow'
                sourceAddressPrefix: 'Storage.northeurope'
              }
              {
                priority: 190
                access: 'Deny'
                sourceAddressPrefix: '*'
              }
            ]
          }
          {
            name: 'partner'
            protocol: 'TCP'
            backendPort: 8444
            frontendPortRangeStart: 7400
            frontendPortRangeEnd: 7500
            networkSecurityGroupRules: [
              {
                priority: 150
                access: 'Allow'
                sourceAddressPrefix: partnerRange
              }
              {
                priority: 160
                access: 'Deny'
                sourceAddressPrefix: '*'
              }
              {
                priority: latePriority
                access: 'Deny'
                sourceAddressPrefix: 'Internet'
              }
            ]
          }
        ]
      }
    }
  }
}
