variable "certificates" {
  type = list(any)
}

resource "azapi_resource" "no_certificates" {
  type      = "Microsoft.Batch/batchAccounts/pools@2024-07-01"
  name      = "no-certificates"
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

resource "azapi_resource" "certificates_variable" {
  type      = "Microsoft.Batch/batchAccounts/pools@2024-07-01"
  name      = "certificates-variable"
  parent_id = azapi_resource.account.id
  body = {
    properties = {
      vmSize       = "STANDARD_D2S_V3"
      certificates = var.certificates
      deploymentConfiguration = {
        virtualMachineConfiguration = { nodeAgentSkuId = "batch.node.ubuntu 22.04" }
      }
    }
  }
}
