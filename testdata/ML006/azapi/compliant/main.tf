resource "azapi_resource" "workspace" {
  type      = "Microsoft.MachineLearningServices/workspaces@2024-04-01"
  name      = "ws"
  location  = "westeurope"
  parent_id = azurerm_resource_group.rg.id
  body = {
    properties = {
      publicNetworkAccess = "Disabled"
    }
  }
}

resource "azapi_resource" "managed" {
  type      = "Microsoft.MachineLearningServices/workspaces@2024-04-01"
  name      = "ws-managed"
  location  = "westeurope"
  parent_id = azurerm_resource_group.rg.id
  body = {
    properties = {
      managedNetwork = { isolationMode = "AllowInternetOutbound" }
    }
  }
}

resource "azapi_resource" "cluster" {
  type      = "Microsoft.MachineLearningServices/workspaces/computes@2024-04-01"
  name      = "cluster"
  location  = "westeurope"
  parent_id = azapi_resource.workspace.id
  body = {
    properties = {
      computeType = "AmlCompute"
      properties = {
        vmSize = "STANDARD_DS3_V2"
        subnet = { id = azurerm_subnet.compute.id }
      }
    }
  }
}

resource "azapi_resource" "managed_cluster" {
  type      = "Microsoft.MachineLearningServices/workspaces/computes@2024-04-01"
  name      = "cluster"
  location  = "westeurope"
  parent_id = azapi_resource.managed.id
  body = {
    properties = {
      computeType = "AmlCompute"
      properties = {
        vmSize = "STANDARD_DS3_V2"
      }
    }
  }
}
