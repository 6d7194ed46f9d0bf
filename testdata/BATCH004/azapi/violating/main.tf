resource "azapi_resource" "default" {
  type      = "Microsoft.Batch/batchAccounts@2024-07-01"
  name      = "batchdefault"
  location  = "westeurope"
  parent_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg"
  body = {
    properties = {
      publicNetworkAccess = "Disabled"
    }
  }
}

resource "azapi_resource" "platform_key" {
  type      = "Microsoft.Batch/batchAccounts@2024-07-01"
  name      = "batchplatformkey"
  location  = "westeurope"
  parent_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg"
  body = jsonencode({
    properties = {
      publicNetworkAccess = "Disabled"
      encryption          = { keySource = "Microsoft.Batch" }
    }
  })
}
