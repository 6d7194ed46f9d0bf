param vtpm bool

resource r0 'Microsoft.Batch/batchAccounts/pools@2024-07-01' = {
  name: 'batchacct/trusted-launch'
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
        securityProfile: {
          securityType: 'trustedLaunch'
          uefiSettings: {
            secureBootEnabled: true
            vTpmEnabled: true
          }
        }
      }
    }
  }
}

resource r1 'Microsoft.Batch/batchAccounts/pools@2024-07-01' = {
  name: 'batchacct/confidential'
  properties: {
    vmSize: 'STANDARD_DC2AS_V5'
    deploymentConfiguration: {
      virtualMachineConfiguration: {
        imageReference: {
          publisher: 'canonical'
          offer: '0001-com-ubuntu-confidential-vm-jammy'
          sku: '22_04-lts-cvm'
        }
        nodeAgentSkuId: 'batch.node.ubuntu 22.04'
        securityProfile: {
          securityType: 'confidentialVM'
        }
      }
    }
  }
}

resource r2 'Microsoft.Batch/batchAccounts/pools@2024-07-01' = {
  name: 'batchacct/vtpm-from-parameter'
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
        securityProfile: {
          securityType: 'trustedLaunch'
          uefiSettings: {
            secureBootEnabled: true
            vTpmEnabled: vtpm
          }
        }
      }
    }
  }
}
