resource "azapi_resource" "workspace" {
  type      = "Microsoft.MachineLearningServices/workspaces@2024-10-01"
  name      = "ws"
  location  = "westeurope"
  parent_id = azurerm_resource_group.rg.id
  body = {
    properties = {
      publicNetworkAccess = "Disabled"
      serverlessComputeSettings = {
        serverlessComputeCustomSubnet = azurerm_subnet.serverless.id
        serverlessComputeNoPublicIP   = true
      }
    }
  }
}

resource "azapi_resource" "workspace_explicit" {
  type      = "Microsoft.MachineLearningServices/workspaces@2024-10-01"
  name      = "ws-explicit"
  location  = "westeurope"
  parent_id = azurerm_resource_group.rg.id
  body = {
    properties = {
      publicNetworkAccess = "Disabled"
      serverlessComputeSettings = {
        serverlessComputeCustomSubnet = azurerm_subnet.serverless.id
        serverlessComputeNoPublicIP   = true
      }
    }
  }
}
