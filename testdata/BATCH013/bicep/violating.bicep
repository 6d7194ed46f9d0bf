resource r0 'Microsoft.Batch/batchAccounts/pools@2023-05-01' = {
  name: 'batchacct/linux-no-endpoints'
  properties: {
    vmSize: 'STANDARD_D2S_V3'
    targetNodeCommunicationMode: 'Simplified'
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
  }
}

resource r1 'Microsoft.Batch/batchAccounts/pools@2024-02-01' = {
  name: 'batchacct/windows-ssh-denied-only'
  properties: {
    vmSize: 'STANDARD_D2S_V3'
    targetNodeCommunicationMode: 'Simplified'
    deploymentConfiguration: {
      virtualMachineConfiguration: {
        imageReference: {
          publisher: 'MicrosoftWindowsServer'
          offer: 'WindowsServer'
          sku: '2022-datacenter'
        }
        nodeAgentSkuId: 'batch.node.windows amd64'
      }
    }
    networkConfiguration: {
      publicIPAddressConfiguration: {
        provision: 'BatchManaged'
      }
      endpointConfiguration: {
        inboundNatPools: [
          {
            name: 'ssh'
            protocol: 'TCP'
            backendPort: 22
            frontendPortRangeStart: 4000
            frontendPortRangeEnd: 4100
            networkSecurityGroupRules: [
              {
                priority: 170
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

resource r2 'Microsoft.Batch/batchAccounts/pools@2024-06-01-preview' = {
  name: 'batchacct/unknown-os-allow-only'
  properties: {
    vmSize: 'STANDARD_D2S_V3'
    targetNodeCommunicationMode: 'Simplified'
    networkConfiguration: {
      endpointConfiguration: {
        inboundNatPools: [
          {
            name: 'rdp'
            protocol: 'TCP'
            backendPort: 3389
            frontendPortRangeStart: 6000
            frontendPortRangeEnd: 6100
            networkSecurityGroupRules: [
              {
                priority: 150
                access: 'Allow'
                sourceAddressPrefix: '203.0.113.0/24'
              }
            ]
          }
        ]
      }
    }
  }
}
