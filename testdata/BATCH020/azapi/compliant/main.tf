variable "backend_port" {
  type = number
}

resource "azapi_resource" "ok" {
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
              name                      = "ssh"
              protocol                  = "TCP"
              backendPort               = 22
              frontendPortRangeStart    = 4000
              frontendPortRangeEnd      = 4039
              networkSecurityGroupRules = [{ priority = 170, access = "Deny", sourceAddressPrefix = "*" }]
            },
            {
              name                   = "app"
              protocol               = "UDP"
              backendPort            = var.backend_port
              frontendPortRangeStart = 55001
              frontendPortRangeEnd   = 55040
            }
          ]
        }
      }
    }
  }
}
