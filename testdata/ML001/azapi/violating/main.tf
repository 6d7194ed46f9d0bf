resource "azapi_resource" "workspace" {
  type      = "Microsoft.MachineLearningServices/workspaces@2024-04-01"
  name      = "ws-azapi"
  location  = "westeurope"
  parent_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg"
  identity {
    type = "SystemAssigned"
  }
  body = {
    properties = {
      publicNetworkAccess = "Enabled"
    }
  }
}
