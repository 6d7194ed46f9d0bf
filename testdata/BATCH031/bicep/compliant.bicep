param targets array

param host bool

resource r0 'Microsoft.Batch/batchAccounts/pools@2024-07-01' = {
  name: 'batchacct/host-encryption'
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
          encryptionAtHost: true
        }
      }
    }
  }
}

resource r1 'Microsoft.Batch/batchAccounts/pools@2024-07-01' = {
  name: 'batchacct/temporary-disk'
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
        diskEncryptionConfiguration: {
          targets: [
            'temporarydisk'
          ]
        }
      }
    }
  }
}

resource r2 'Microsoft.Batch/batchAccounts/pools@2024-07-01' = {
  name: 'batchacct/windows-both-targets'
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
          targets: [
            'OsDisk'
            'TemporaryDisk'
          ]
        }
      }
    }
  }
}

resource r3 'Microsoft.Batch/batchAccounts/pools@2024-07-01' = {
  name: 'batchacct/targets-from-parameter'
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
        diskEncryptionConfiguration: {
          targets: targets
        }
      }
    }
  }
}

resource r4 'Microsoft.Batch/batchAccounts/pools@2024-07-01' = {
  name: 'batchacct/host-from-parameter'
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
          encryptionAtHost: host
        }
      }
    }
  }
}
