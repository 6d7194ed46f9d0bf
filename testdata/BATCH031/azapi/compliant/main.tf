variable "host_encryption" {
  type = bool
}

resource "azapi_resource" "temporary_disk" {
  type      = "Microsoft.Batch/batchAccounts/pools@2024-07-01"
  name      = "temporary-disk"
  parent_id = azapi_resource.account.id
  body = {
    properties = {
      vmSize = "STANDARD_D2S_V3"
      deploymentConfiguration = {
        virtualMachineConfiguration = {
          imageReference              = { publisher = "canonical", offer = "0001-com-ubuntu-server-jammy", sku = "22_04-lts" }
          nodeAgentSkuId              = "batch.node.ubuntu 22.04"
          diskEncryptionConfiguration = { targets = ["TemporaryDisk"] }
        }
      }
    }
  }
}

resource "azapi_resource" "host_from_variable" {
  type      = "Microsoft.Batch/batchAccounts/pools@2024-07-01"
  name      = "host-from-variable"
  parent_id = azapi_resource.account.id
  body = {
    properties = {
      vmSize = "STANDARD_D2S_V3"
      deploymentConfiguration = {
        virtualMachineConfiguration = {
          imageReference  = { publisher = "canonical", offer = "0001-com-ubuntu-server-jammy", sku = "22_04-lts" }
          nodeAgentSkuId  = "batch.node.ubuntu 22.04"
          securityProfile = { encryptionAtHost = var.host_encryption }
        }
      }
    }
  }
}
