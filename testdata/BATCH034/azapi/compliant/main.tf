variable "accounts" {
  type = list(any)
}

resource "azapi_resource" "no_accounts" {
  type      = "Microsoft.Batch/batchAccounts/pools@2024-07-01"
  name      = "no-accounts"
  parent_id = azapi_resource.account.id
  body = {
    properties = {
      vmSize = "STANDARD_D2S_V3"
      deploymentConfiguration = {
        virtualMachineConfiguration = { nodeAgentSkuId = "batch.node.ubuntu 22.04" }
      }
    }
  }
}

resource "azapi_resource" "accounts_variable" {
  type      = "Microsoft.Batch/batchAccounts/pools@2024-07-01"
  name      = "accounts-variable"
  parent_id = azapi_resource.account.id
  body = {
    properties = {
      vmSize       = "STANDARD_D2S_V3"
      userAccounts = var.accounts
      deploymentConfiguration = {
        virtualMachineConfiguration = { nodeAgentSkuId = "batch.node.ubuntu 22.04" }
      }
    }
  }
}
