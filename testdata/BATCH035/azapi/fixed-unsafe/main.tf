resource "azapi_resource" "certificate" {
  type      = "Microsoft.Batch/batchAccounts/certificates@2024-02-01"
  name      = "sha1-0123456789abcdef0123456789abcdef01234567"
  parent_id = azapi_resource.account.id
  body = {
    properties = {
      format              = "Pfx"
      thumbprintAlgorithm = "SHA1"
      thumbprint          = "0123456789abcdef0123456789abcdef01234567"
    }
  }
}

resource "azapi_resource" "pool" {
  type      = "Microsoft.Batch/batchAccounts/pools@2024-02-01"
  name      = "with-certificates"
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
