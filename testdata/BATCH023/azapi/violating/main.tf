resource "azapi_resource" "classic" {
  type      = "Microsoft.Batch/batchAccounts/pools@2024-07-01"
  name      = "classic"
  parent_id = azapi_resource.account.id
  body = {
    properties = {
      vmSize                      = "STANDARD_D2S_V3"
      targetNodeCommunicationMode = "Classic"
    }
  }
}

resource "azapi_resource" "removed_property" {
  type      = "Microsoft.Batch/batchAccounts/pools@2025-06-01"
  name      = "removed-property"
  parent_id = azapi_resource.account.id
  body = jsonencode({
    properties = {
      vmSize                      = "STANDARD_D2S_V3"
      targetNodeCommunicationMode = "Simplified"
    }
  })
}

variable "mode" {
  type = string
}

resource "azapi_resource" "removed_property_unknown_value" {
  type      = "Microsoft.Batch/batchAccounts/pools@2025-06-01"
  name      = "removed-property-unknown-value"
  parent_id = azapi_resource.account.id
  body = {
    properties = {
      vmSize                      = "STANDARD_D2S_V3"
      targetNodeCommunicationMode = var.mode
    }
  }
}
