resource "azapi_resource" "simplified" {
  type      = "Microsoft.Batch/batchAccounts/pools@2024-07-01"
  name      = "simplified"
  parent_id = azapi_resource.account.id
  body = {
    properties = {
      vmSize                      = "STANDARD_D2S_V3"
      targetNodeCommunicationMode = "Simplified"
    }
  }
}

resource "azapi_resource" "absent_new_api" {
  type      = "Microsoft.Batch/batchAccounts/pools@2025-06-01"
  name      = "absent-new-api"
  parent_id = azapi_resource.account.id
  body = {
    properties = {
      vmSize = "STANDARD_D2S_V3"
    }
  }
}

# Default or absent: the simplified model since classic communication was retired.
resource "azapi_resource" "absent_legacy" {
  type      = "Microsoft.Batch/batchAccounts/pools@2023-05-01"
  name      = "absent-legacy"
  parent_id = azapi_resource.account.id
  body = {
    properties = {
      vmSize = "STANDARD_D2S_V3"
      networkConfiguration = {
        subnetId                     = azapi_resource.subnet.id
        publicIPAddressConfiguration = { provision = "NoPublicIPAddresses" }
      }
    }
  }
}

resource "azapi_resource" "default" {
  type      = "Microsoft.Batch/batchAccounts/pools@2024-07-01"
  name      = "default"
  parent_id = azapi_resource.account.id
  body = {
    properties = {
      vmSize                      = "STANDARD_D2S_V3"
      targetNodeCommunicationMode = "Default"
    }
  }
}
