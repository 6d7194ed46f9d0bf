resource "azapi_resource" "pool" {
  type      = "Microsoft.Batch/batchAccounts/pools@2024-07-01"
  name      = "faults"
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
                { priority = 100, access = "Allow", sourceAddressPrefix = "10.0.0.0/8" },
                { priority = 150, access = "Block", sourceAddressPrefix = "*", sourcePortRanges = ["80-70000"] },
                { priority = 150, access = "Deny", sourceAddressPrefix = "" }
              ]
            }
          ]
        }
      }
    }
  }
}
