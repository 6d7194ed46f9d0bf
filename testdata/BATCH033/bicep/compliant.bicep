param autoUpgrade bool

resource r0 'Microsoft.Batch/batchAccounts/pools@2024-07-01' = {
  name: 'batchacct/auto-upgrade'
  properties: {
    vmSize: 'STANDARD_D2S_V3'
    upgradePolicy: {
      mode: 'automatic'
      automaticOSUpgradePolicy: {
        enableAutomaticOSUpgrade: true
      }
    }
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
  name: 'batchacct/auto-upgrade-from-parameter'
  properties: {
    vmSize: 'STANDARD_D2S_V3'
    upgradePolicy: {
      mode: 'automatic'
      automaticOSUpgradePolicy: {
        enableAutomaticOSUpgrade: autoUpgrade
      }
    }
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
