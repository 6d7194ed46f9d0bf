# A private hub whose private endpoint connections come from a list without a value, and a
# private project of that hub.

variable "endpoint_targets" {
  type = list(object({ id = string, group = string }))
}

resource "azapi_resource" "hub" {
  type      = "Microsoft.MachineLearningServices/workspaces@2024-10-01"
  name      = "hub"
  location  = "westeurope"
  parent_id = azurerm_resource_group.rg.id
  body = {
    kind = "hub"
    properties = {
      containerRegistry   = azurerm_container_registry.acr.id
      publicNetworkAccess = "Disabled"
    }
  }
}

resource "azapi_resource" "project" {
  type      = "Microsoft.MachineLearningServices/workspaces@2024-10-01"
  name      = "project"
  location  = "westeurope"
  parent_id = azurerm_resource_group.rg.id
  body = {
    kind = "Project"
    properties = {
      hubResourceId       = azapi_resource.hub.id
      publicNetworkAccess = "Disabled"
    }
  }
}

resource "azapi_resource" "pe" {
  type      = "Microsoft.Network/privateEndpoints@2023-09-01"
  name      = "pe-hub"
  location  = "westeurope"
  parent_id = azurerm_resource_group.rg.id
  body = {
    properties = {
      subnet = { id = azurerm_subnet.pe.id }
      privateLinkServiceConnections = [
        for t in var.endpoint_targets : { name = t.group, properties = { privateLinkServiceId = t.id, groupIds = [t.group] } }
      ]
    }
  }
}
