resource "azapi_resource" "no_policy" {
  type      = "Microsoft.Batch/batchAccounts/pools@2024-07-01"
  name      = "no-policy"
  parent_id = azapi_resource.account.id
  body = {
    properties = {
      vmSize = "STANDARD_D2S_V3"
      deploymentConfiguration = {
        virtualMachineConfiguration = {
          imageReference = { publisher = "canonical", offer = "x", sku = "y" }
          nodeAgentSkuId = "batch.node.ubuntu 22.04"
        }
      }
      upgradePolicy           = {
        automaticOSUpgradePolicy = {
          enableAutomaticOSUpgrade = true
        }
        mode                     = "automatic"
      }
    }
  }
}

resource "azapi_resource" "off" {
  type      = "Microsoft.Batch/batchAccounts/pools@2024-07-01"
  name      = "auto-upgrade-off"
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
