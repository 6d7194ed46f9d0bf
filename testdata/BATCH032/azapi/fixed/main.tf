resource "azapi_resource" "windows_default" {
  type      = "Microsoft.Batch/batchAccounts/pools@2024-07-01"
  name      = "windows-default"
  parent_id = azapi_resource.account.id
  body = {
    properties = {
      vmSize = "STANDARD_D2S_V3"
      upgradePolicy = { mode = "automatic", automaticOSUpgradePolicy = { enableAutomaticOSUpgrade = true } }
      deploymentConfiguration = {
        virtualMachineConfiguration = {
          imageReference = { publisher = "MicrosoftWindowsServer", offer = "x", sku = "y" }
          nodeAgentSkuId = "batch.node.windows amd64"
          windowsConfiguration = {
            enableAutomaticUpdates = false
          }
        }
      }
    }
  }
}

resource "azapi_resource" "windows_on" {
  type      = "Microsoft.Batch/batchAccounts/pools@2024-07-01"
  name      = "windows-on"
  parent_id = azapi_resource.account.id
  body = {
    properties = {
      vmSize = "STANDARD_D2S_V3"
      upgradePolicy = { mode = "automatic", automaticOSUpgradePolicy = { enableAutomaticOSUpgrade = true } }
      deploymentConfiguration = {
        virtualMachineConfiguration = {
          imageReference = { publisher = "MicrosoftWindowsServer", offer = "x", sku = "y" }
          nodeAgentSkuId = "batch.node.windows amd64"
          windowsConfiguration = { enableAutomaticUpdates = false }
        }
      }
    }
  }
}
