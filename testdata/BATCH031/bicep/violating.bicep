resource r0 'Microsoft.Batch/batchAccounts/pools@2024-07-01' = {
  name: 'batchacct/nothing'
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
  }
}

resource r1 'Microsoft.Batch/batchAccounts/pools@2024-07-01' = {
  name: 'batchacct/host-off-osdisk-only'
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
          encryptionAtHost: false
        }
        diskEncryptionConfiguration: {
          targets: [
            'OsDisk'
          ]
        }
      }
    }
  }
}

resource r2 'Microsoft.Batch/batchAccounts/pools@2024-07-01' = {
  name: 'batchacct/host-off'
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
          encryptionAtHost: false
        }
      }
    }
  }
}

resource r3 'Microsoft.Batch/batchAccounts/pools@2024-07-01' = {
  name: 'batchacct/windows-temporary-only'
  properties: {
    vmSize: 'STANDARD_D2S_V3'
    deploymentConfiguration: {
      virtualMachineConfiguration: {
        imageReference: {
          publisher: 'MicrosoftWindowsServer'
          offer: 'WindowsServer'
          sku: '2022-datacenter'
        }
        nodeAgentSkuId: 'batch.node.windows amd64'
        securityProfile: {
          encryptionAtHost: true
        }
        diskEncryptionConfiguration: {
          targets: [
            'TemporaryDisk'
          ]
        }
      }
    }
  }
}

resource r4 'Microsoft.Batch/batchAccounts/pools@2024-07-01' = {
  name: 'batchacct/windows-empty-targets'
  properties: {
    vmSize: 'STANDARD_D2S_V3'
    deploymentConfiguration: {
      virtualMachineConfiguration: {
        imageReference: {
          publisher: 'MicrosoftWindowsServer'
          offer: 'WindowsServer'
          sku: '2022-datacenter'
        }
        nodeAgentSkuId: 'batch.node.windows amd64'
        diskEncryptionConfiguration: {
          targets: []
        }
      }
    }
  }
}
