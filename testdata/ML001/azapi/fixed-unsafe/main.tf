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
      publicNetworkAccess = "Disabled"
    }
  }
}

# Private, but still open to public clients behind a virtual network.
resource "azapi_resource" "workspace_behind_vnet" {
  type      = "Microsoft.MachineLearningServices/workspaces@2024-04-01"
  name      = "ws-behind-vnet"
  location  = "westeurope"
  parent_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg"
  body = {
    properties = {
      publicNetworkAccess             = "Disabled"
      allowPublicAccessWhenBehindVnet = false
    }
  }
}
