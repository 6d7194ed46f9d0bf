variable "rule_priority" {
  type = number
}

resource "azapi_resource" "pool" {
  type      = "Microsoft.Batch/batchAccounts/pools@2024-07-01"
  name      = "ok"
  parent_id = azapi_resource.account.id
  body = {
    properties = {
      vmSize                      = "STANDARD_D2S_V3"
      targetNodeCommunicationMode = "Simplified"
      networkConfiguration = {
        endpointConfiguration = {
          inboundNatPools = [
            {
              name                   = "app"
              protocol               = "TCP"
              backendPort            = 8080
              frontendPortRangeStart = 4000
              frontendPortRangeEnd   = 4100
              networkSecurityGroupRules = [
                { priority = 150, access = "Allow", sourceAddressPrefix = "AzureCloud.westeurope", sourcePortRanges = ["1024-65535"] },
                { priority = var.rule_priority, access = "Allow", sourceAddressPrefix = "10.0.0.0/8" },
                { priority = 4096, access = "Deny", sourceAddressPrefix = "0.0.0.0/0" }
              ]
            }
          ]
        }
      }
    }
  }
}
