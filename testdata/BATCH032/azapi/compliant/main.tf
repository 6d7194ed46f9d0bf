variable "updates" {
  type = bool
}

resource "azapi_resource" "windows_off" {
  type      = "Microsoft.Batch/batchAccounts/pools@2024-07-01"
  name      = "windows-off"
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

resource "azapi_resource" "windows_variable" {
  type      = "Microsoft.Batch/batchAccounts/pools@2024-07-01"
  name      = "windows-variable"
  parent_id = azapi_resource.account.id
  body = {
    properties = {
      vmSize = "STANDARD_D2S_V3"
      upgradePolicy = { mode = "automatic", automaticOSUpgradePolicy = { enableAutomaticOSUpgrade = true } }
      deploymentConfiguration = {
        virtualMachineConfiguration = {
          imageReference = { publisher = "MicrosoftWindowsServer", offer = "x", sku = "y" }
          nodeAgentSkuId = "batch.node.windows amd64"
          windowsConfiguration = { enableAutomaticUpdates = var.updates }
        }
      }
    }
  }
}

resource "azapi_resource" "linux" {
  type      = "Microsoft.Batch/batchAccounts/pools@2024-07-01"
  name      = "linux"
  parent_id = azapi_resource.account.id
  body = {
    properties = {
      vmSize = "STANDARD_D2S_V3"
      upgradePolicy = { mode = "automatic", automaticOSUpgradePolicy = { enableAutomaticOSUpgrade = true } }
      deploymentConfiguration = {
        virtualMachineConfiguration = {
          imageReference = { publisher = "canonical", offer = "x", sku = "y" }
          nodeAgentSkuId = "batch.node.ubuntu 22.04"
        }
      }
    }
  }
}
