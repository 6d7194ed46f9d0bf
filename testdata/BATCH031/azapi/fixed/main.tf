resource "azapi_resource" "nothing" {
  type      = "Microsoft.Batch/batchAccounts/pools@2024-07-01"
  name      = "nothing"
  parent_id = azapi_resource.account.id
  body = {
    properties = {
      vmSize = "STANDARD_D2S_V3"
      deploymentConfiguration = {
        virtualMachineConfiguration = {
          imageReference = { publisher = "canonical", offer = "0001-com-ubuntu-server-jammy", sku = "22_04-lts" }
          nodeAgentSkuId = "batch.node.ubuntu 22.04"
          securityProfile = {
            encryptionAtHost = true
          }
        }
      }
    }
  }
}

resource "azapi_resource" "os_disk_only" {
  type      = "Microsoft.Batch/batchAccounts/pools@2024-07-01"
  name      = "os-disk-only"
  parent_id = azapi_resource.account.id
  body = jsonencode({
    properties = {
      vmSize = "STANDARD_D2S_V3"
      deploymentConfiguration = {
        virtualMachineConfiguration = {
          imageReference              = { publisher = "canonical", offer = "0001-com-ubuntu-server-jammy", sku = "22_04-lts" }
          nodeAgentSkuId              = "batch.node.ubuntu 22.04"
          diskEncryptionConfiguration = { targets = ["OsDisk"] }
          securityProfile             = {
            encryptionAtHost = true
          }
        }
      }
    }
  })
}
