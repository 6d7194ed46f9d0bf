resource "azapi_resource" "no_security_profile" {
  type      = "Microsoft.Batch/batchAccounts/pools@2024-07-01"
  name      = "no-security-profile"
  parent_id = azapi_resource.account.id
  body = {
    properties = {
      vmSize = "STANDARD_D2S_V3"
      deploymentConfiguration = {
        virtualMachineConfiguration = {
          imageReference = { publisher = "canonical", offer = "0001-com-ubuntu-server-jammy", sku = "22_04-lts" }
          nodeAgentSkuId = "batch.node.ubuntu 22.04"
          securityProfile = {
            securityType = "trustedLaunch"
            uefiSettings = {
              secureBootEnabled = true
              vTpmEnabled       = true
            }
          }
        }
      }
    }
  }
}

resource "azapi_resource" "both_off" {
  type      = "Microsoft.Batch/batchAccounts/pools@2024-07-01"
  name      = "both-off"
  parent_id = azapi_resource.account.id
  body = jsonencode({
    properties = {
      vmSize = "STANDARD_D2S_V3"
      deploymentConfiguration = {
        virtualMachineConfiguration = {
          imageReference = { publisher = "canonical", offer = "0001-com-ubuntu-server-jammy", sku = "22_04-lts" }
          nodeAgentSkuId = "batch.node.ubuntu 22.04"
          securityProfile = {
            securityType = "trustedLaunch"
            uefiSettings = { secureBootEnabled = true, vTpmEnabled = true }
          }
        }
      }
    }
  })
}
