param poolApiVersion string

param provisioning string

resource r0 'Microsoft.Batch/batchAccounts/pools@2024-07-01' = {
  name: 'batchacct/current-api'
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

resource r1 'Microsoft.Batch/batchAccounts/pools@2023-05-01' = {
  name: 'batchacct/linux-ssh-denied'
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
    networkConfiguration: {
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
                access: 'Allow'
                sourceAddressPrefix: '192.168.1.0/24'
              }
              {
                priority: 175
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

resource r2 'Microsoft.Batch/batchAccounts/pools@2023-05-01' = {
  name: 'batchacct/windows-rdp-denied'
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
        windowsConfiguration: {
          enableAutomaticUpdates: false
        }
      }
    }
    networkConfiguration: {
      endpointConfiguration: {
        inboundNatPools: [
          {
            name: 'rdp'
            protocol: 'TCP'
            backendPort: 3389
            frontendPortRangeStart: 60000
            frontendPortRangeEnd: 60099
            networkSecurityGroupRules: [
              {
                priority: 162
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

resource r3 'Microsoft.Batch/batchAccounts/pools@2023-05-01' = {
  name: 'batchacct/no-public-ips'
  properties: {
    vmSize: 'STANDARD_D2S_V3'
    targetNodeCommunicationMode: 'Simplified'
    networkConfiguration: {
      subnetId: '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet/subnets/batch'
      publicIPAddressConfiguration: {
        provision: 'NoPublicIPAddresses'
      }
    }
  }
}

// batchacct/api-from-parameter: an API version from an expression cannot be written in Bicep

resource r5 'Microsoft.Batch/batchAccounts/pools@2023-05-01' = {
  name: 'batchacct/provisioning-from-parameter'
  properties: {
    vmSize: 'STANDARD_D2S_V3'
    targetNodeCommunicationMode: 'Simplified'
    networkConfiguration: {
      publicIPAddressConfiguration: {
        provision: provisioning
      }
    }
  }
}
