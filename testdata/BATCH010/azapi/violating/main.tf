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
              name                   = "ssh"
              protocol               = "TCP"
              backendPort            = 22
              frontendPortRangeStart = 4000
              frontendPortRangeEnd   = 4100
              networkSecurityGroupRules = [
                { priority = 150, access = "Allow", sourceAddressPrefix = "0.0.0.0/0" },
                { priority = 200, access = "Deny", sourceAddressPrefix = "*" }
              ]
            }
          ]
        }
      }
    }
  }
}
