resource r0 'Microsoft.Batch/batchAccounts/pools@2024-07-01' = {
  name: 'batchacct/windows-updates-default'
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
          publisher: 'MicrosoftWindowsServer'
          offer: 'WindowsServer'
          sku: '2022-datacenter'
        }
        nodeAgentSkuId: 'batch.node.windows amd64'
      }
    }
  }
}

resource r1 'Microsoft.Batch/batchAccounts/pools@2024-07-01' = {
  name: 'batchacct/windows-updates-on'
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
          publisher: 'MicrosoftWindowsServer'
          offer: 'WindowsServer'
          sku: '2022-datacenter'
        }
        nodeAgentSkuId: 'batch.node.windows amd64'
        windowsConfiguration: {
          enableAutomaticUpdates: true
        }
      }
    }
  }
}

resource r2 'Microsoft.Batch/batchAccounts/pools@2024-07-01' = {
  name: 'batchacct/windows-config-without-flag'
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
          publisher: 'MicrosoftWindowsServer'
          offer: 'WindowsServer'
          sku: '2022-datacenter'
        }
        windowsConfiguration: {}
      }
    }
  }
}
