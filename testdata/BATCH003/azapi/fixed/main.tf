resource "azapi_resource" "batch" {
  type      = "Microsoft.Batch/batchAccounts@2024-07-01"
  name      = "batchazapi"
  location  = "westeurope"
  parent_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg"
  body = {
    properties = {
      publicNetworkAccess        = "Disabled"
      allowedAuthenticationModes = ["AAD"]
    }
  }
}
