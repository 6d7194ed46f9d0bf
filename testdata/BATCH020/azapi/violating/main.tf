resource "azapi_resource" "legacy" {
  type      = "Microsoft.Batch/batchAccounts/pools@2023-05-01"
  name      = "legacy"
  parent_id = azapi_resource.account.id
  body = {
    properties = {
      vmSize                      = "STANDARD_D2S_V3"
      targetNodeCommunicationMode = "Simplified"
      networkConfiguration = {
        endpointConfiguration = {
          inboundNatPools = [
            {
              name                      = "rdp"
              protocol                  = "TCP"
              backendPort               = 3389
              frontendPortRangeStart    = 4000
              frontendPortRangeEnd      = 4038
              networkSecurityGroupRules = [{ priority = 170, access = "Deny", sourceAddressPrefix = "*" }]
            },
            {
              name                   = "rdp.copy."
              protocol               = "TCP"
              backendPort            = 3389
              frontendPortRangeStart = 4038
              frontendPortRangeEnd   = 4100
            }
          ]
        }
      }
    }
  }
}

resource "azapi_resource" "six" {
  type      = "Microsoft.Batch/batchAccounts/pools@2024-07-01"
  name      = "six"
  parent_id = azapi_resource.account.id
  body = jsonencode({
    properties = {
      vmSize                      = "STANDARD_D2S_V3"
      targetNodeCommunicationMode = "Simplified"
      networkConfiguration = {
        endpointConfiguration = {
          inboundNatPools = [
            { name = "p1", protocol = "TCP", backendPort = 8001, frontendPortRangeStart = 1000, frontendPortRangeEnd = 1099 },
            { name = "p2", protocol = "TCP", backendPort = 8002, frontendPortRangeStart = 2000, frontendPortRangeEnd = 2099 },
            { name = "p3", protocol = "TCP", backendPort = 8003, frontendPortRangeStart = 3000, frontendPortRangeEnd = 3099 },
            { name = "p4", protocol = "TCP", backendPort = 8004, frontendPortRangeStart = 4000, frontendPortRangeEnd = 4099 },
            { name = "p5", protocol = "TCP", backendPort = 8005, frontendPortRangeStart = 5000, frontendPortRangeEnd = 5099 },
            { name = "p6", protocol = "TCP", backendPort = 8006, frontendPortRangeStart = 6000, frontendPortRangeEnd = 6099 }
          ]
        }
      }
    }
  })
}
