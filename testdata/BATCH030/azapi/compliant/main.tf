variable "security_type" {
  type = string
}

resource "azapi_resource" "trusted_launch" {
  type      = "Microsoft.Batch/batchAccounts/pools@2024-07-01"
  name      = "trusted-launch"
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
            uefiSettings = { secureBootEnabled = true, vTpmEnabled = true }
          }
        }
      }
    }
  }
}

resource "azapi_resource" "type_from_variable" {
  type      = "Microsoft.Batch/batchAccounts/pools@2024-07-01"
  name      = "type-from-variable"
  parent_id = azapi_resource.account.id
  body = {
    properties = {
      vmSize = "STANDARD_D2S_V3"
      deploymentConfiguration = {
        virtualMachineConfiguration = {
          imageReference  = { publisher = "canonical", offer = "0001-com-ubuntu-server-jammy", sku = "22_04-lts" }
          nodeAgentSkuId  = "batch.node.ubuntu 22.04"
          securityProfile = { securityType = var.security_type }
        }
      }
    }
  }
}
