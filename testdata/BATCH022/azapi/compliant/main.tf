variable "public_ips" {
  type = list(string)
}

resource "azapi_resource" "user_managed" {
  type      = "Microsoft.Batch/batchAccounts/pools@2024-07-01"
  name      = "user-managed"
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

resource "azapi_resource" "ips_from_variable" {
  type      = "Microsoft.Batch/batchAccounts/pools@2024-07-01"
  name      = "ips-from-variable"
  parent_id = azapi_resource.account.id
  body = {
    properties = {
      vmSize                      = "STANDARD_D2S_V3"
      targetNodeCommunicationMode = "Simplified"
      networkConfiguration = {
        publicIPAddressConfiguration = {
          provision    = "UserManaged"
          ipAddressIds = var.public_ips
        }
      }
    }
  }
}

resource "azapi_resource" "private" {
  type      = "Microsoft.Batch/batchAccounts/pools@2024-07-01"
  name      = "private"
  parent_id = azapi_resource.account.id
  body = {
    properties = {
      vmSize                      = "STANDARD_D2S_V3"
      targetNodeCommunicationMode = "Simplified"
      networkConfiguration = {
        subnetId                     = azapi_resource.subnet.id
        publicIPAddressConfiguration = { provision = "NoPublicIPAddresses" }
      }
    }
  }
}
