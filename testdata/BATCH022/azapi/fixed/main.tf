resource "azapi_resource" "private_with_endpoints" {
  type      = "Microsoft.Batch/batchAccounts/pools@2024-07-01"
  name      = "private-with-endpoints"
  parent_id = azapi_resource.account.id
  body = {
    properties = {
      vmSize                      = "STANDARD_D2S_V3"
      targetNodeCommunicationMode = "Simplified"
      networkConfiguration = {
        subnetId                     = azapi_resource.subnet.id
        publicIPAddressConfiguration = { provision = "NoPublicIPAddresses" }
        endpointConfiguration = {
          inboundNatPools = [{
            name                      = "app"
            protocol                  = "TCP"
            backendPort               = 8080
            frontendPortRangeStart    = 4000
            frontendPortRangeEnd      = 4100
            networkSecurityGroupRules = [{ priority = 170, access = "Deny", sourceAddressPrefix = "*" }]
          }]
        }
      }
    }
  }
}

resource "azapi_resource" "user_managed_without_ips" {
  type      = "Microsoft.Batch/batchAccounts/pools@2024-07-01"
  name      = "user-managed-without-ips"
  parent_id = azapi_resource.account.id
  body = jsonencode({
    properties = {
      vmSize                      = "STANDARD_D2S_V3"
      targetNodeCommunicationMode = "Simplified"
      networkConfiguration = {
        publicIPAddressConfiguration = { provision = "BatchManaged" }
      }
    }
  })
}

resource "azapi_resource" "batch_managed_with_ips" {
  type      = "Microsoft.Batch/batchAccounts/pools@2024-07-01"
  name      = "batch-managed-with-ips"
  parent_id = azapi_resource.account.id
  body = {
    properties = {
      vmSize                      = "STANDARD_D2S_V3"
      targetNodeCommunicationMode = "Simplified"
      networkConfiguration = {
        publicIPAddressConfiguration = {
          provision    = "UserManaged"
          ipAddressIds = [azapi_resource.pip1.id]
        }
      }
    }
  }
}
