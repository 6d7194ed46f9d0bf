resource "azapi_resource" "pool" {
  type      = "Microsoft.Batch/batchAccounts/pools@2024-07-01"
  name      = "web-pool"
  parent_id = azapi_resource.account.id
  body = {
    properties = {
      vmSize = "STANDARD_D2S_V3"
      networkConfiguration = {
        endpointConfiguration = {
          inboundNatPools = [
            {
              name                   = "app"
              protocol               = "TCP"
              backendPort            = 8443
              frontendPortRangeStart = 4000
              frontendPortRangeEnd   = 4100
              networkSecurityGroupRules = [
                { priority = 150, access = "Allow", sourceAddressPrefix = "Internet" }
              ]
            },
            {
              name                   = "ssh"
              protocol               = "TCP"
              backendPort            = 22
              frontendPortRangeStart = 5000
              frontendPortRangeEnd   = 5100
              networkSecurityGroupRules = [
                { priority = 160, access = "Allow", sourceAddressPrefix = "203.0.113.0/24" },
                { priority = 170, access = "Deny", sourceAddressPrefix = "198.51.100.0/24" }, { priority = 4096, access = "Deny", sourceAddressPrefix = "*" }
              ]
            }
          ]
        }
      }
    }
  }
}

# Endpoint rules that deny 0.0.0.0/0, which covers IPv4 only. The pool's IP families are
# ["IPv4", "IPv6"].
resource "azapi_resource" "pool_dual" {
  type      = "Microsoft.Batch/batchAccounts/pools@2024-07-01"
  name      = "dual-stack-app"
  parent_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Batch/batchAccounts/acct"
  body = {
    properties = {
      vmSize                      = "STANDARD_D2S_V3"
      targetNodeCommunicationMode = "Simplified"
      networkConfiguration = {
        publicIPAddressConfiguration = { provision = "BatchManaged", ipFamilies = ["IPv4", "IPv6"] }
        endpointConfiguration = {
          inboundNatPools = [
            {
              name                   = "app"
              protocol               = "TCP"
              backendPort            = 8080
              frontendPortRangeStart = 7000
              frontendPortRangeEnd   = 7100
              networkSecurityGroupRules = [
                { priority = 150, access = "Allow", sourceAddressPrefix = "203.0.113.0/24" },
                { priority = 200, access = "Deny", sourceAddressPrefix = "0.0.0.0/0" }, { priority = 4096, access = "Deny", sourceAddressPrefix = "*" }
              ]
            }
          ]
        }
      }
    }
  }
}
