variable "auto_upgrade" {
  type = bool
}

resource "azapi_resource" "on" {
  type      = "Microsoft.Batch/batchAccounts/pools@2024-07-01"
  name      = "auto-upgrade"
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

resource "azapi_resource" "variable" {
  type      = "Microsoft.Batch/batchAccounts/pools@2024-07-01"
  name      = "auto-upgrade-variable"
  parent_id = azapi_resource.account.id
  body = {
    properties = {
      vmSize = "STANDARD_D2S_V3"
      upgradePolicy = { mode = "automatic", automaticOSUpgradePolicy = { enableAutomaticOSUpgrade = var.auto_upgrade } }
      deploymentConfiguration = {
        virtualMachineConfiguration = {
          imageReference = { publisher = "canonical", offer = "x", sku = "y" }
          nodeAgentSkuId = "batch.node.ubuntu 22.04"
        }
      }
    }
  }
}
