resource "azapi_resource" "pool" {
  type      = "Microsoft.Batch/batchAccounts/pools@2024-07-01"
  name      = "pool-azapi"
  parent_id = azapi_resource.account.id
  body = {
    properties = {
      vmSize = "STANDARD_D2S_V3"
      networkConfiguration = {
        endpointConfiguration = {
          inboundNatPools = [
            {
              name                   = "web"
              protocol               = "TCP"
              backendPort            = 8080
              frontendPortRangeStart = 6000
              frontendPortRangeEnd   = 6100
              networkSecurityGroupRules = [
                { priority = 150, access = "Allow", sourceAddressPrefix = "*" },
                { priority = 200, access = "Deny", sourceAddressPrefix = "Internet" }
              ]
            },
            {
              name                   = "metrics"
              protocol               = "TCP"
              backendPort            = 9100
              frontendPortRangeStart = 7000
              frontendPortRangeEnd   = 7100
              networkSecurityGroupRules = [
                { priority = 300, access = "Deny", sourceAddressPrefix = "203.0.113.10" },
                { priority = 150, access = "Allow", sourceAddressPrefix = "203.0.113.0/24" },
                { priority = 400, access = "Deny", sourceAddressPrefix = "*" }
              ]
            }
          ]
        }
      }
    }
  }
}
