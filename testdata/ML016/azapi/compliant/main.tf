variable "no_public_ip" {
  type = bool
}

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

# Whether the nodes get public IPs is not known: no result.
resource "azapi_resource" "workspace_unknown" {
  type      = "Microsoft.MachineLearningServices/workspaces@2024-10-01"
  name      = "ws-unknown"
  location  = "westeurope"
  parent_id = azurerm_resource_group.rg.id
  body = {
    properties = {
      publicNetworkAccess = "Disabled"
      serverlessComputeSettings = {
        serverlessComputeCustomSubnet = azurerm_subnet.serverless.id
        serverlessComputeNoPublicIP   = var.no_public_ip
      }
    }
  }
}
