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
                { priority = 150, access = "Deny", sourceAddressPrefix = "Internet" },
                { priority = 200, access = "Allow", sourceAddressPrefix = "*" }
              ]
            },
            {
              name                   = "metrics"
              protocol               = "TCP"
              backendPort            = 9100
              frontendPortRangeStart = 7000
              frontendPortRangeEnd   = 7100
              networkSecurityGroupRules = [
                # The single host comes first, so it is denied; the /25 is redundant with the /24 (silent).
                { priority = 150, access = "Deny", sourceAddressPrefix = "203.0.113.10" },
                { priority = 160, access = "Allow", sourceAddressPrefix = "203.0.113.0/24" },
                { priority = 170, access = "Allow", sourceAddressPrefix = "203.0.113.128/25" },
                # A public range against a service tag: not known to be covered.
                { priority = 180, access = "Deny", sourceAddressPrefix = "Storage" },
                { priority = 190, access = "Deny", sourceAddressPrefix = "*" }
              ]
            }
          ]
        }
      }
    }
  }
}
