resource "azapi_resource" "workspace" {
  type      = "Microsoft.MachineLearningServices/workspaces@2024-04-01"
  name      = "ws"
  location  = "westeurope"
  parent_id = azurerm_resource_group.rg.id
  body = {
    properties = {
      managedNetwork = {
        isolationMode = "AllowOnlyApprovedOutbound"
      }
    }
  }
}
