variable "password" {
  type      = string
  sensitive = true
}

resource "azapi_resource" "users" {
  type      = "Microsoft.Batch/batchAccounts/pools@2024-07-01"
  name      = "users"
  parent_id = azapi_resource.account.id
  body = {
    properties = {
      vmSize = "STANDARD_D2S_V3"
      deploymentConfiguration = {
        virtualMachineConfiguration = { nodeAgentSkuId = "batch.node.ubuntu 22.04" }
      }
      networkConfiguration = { publicIPAddressConfiguration = { provision = "NoPublicIPAddresses" } }
      userAccounts = [
        { name = "operator", password = var.password, elevationLevel = "Admin" },
        { name = "reader", password = var.password }
      ]
    }
  }
}
