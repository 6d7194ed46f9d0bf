variable "target_id" {
  type = string
}

resource "azapi_resource" "st" {
  type      = "Microsoft.Storage/storageAccounts@2023-01-01"
  name      = "stml"
  location  = "westeurope"
  parent_id = azurerm_resource_group.rg.id
  body = {
    kind       = "StorageV2"
    sku        = { name = "Standard_LRS" }
    properties = {}
  }
}

# Only blob is known to be covered, but another endpoint in this module targets a resource
# that is not known (var.target_id): it might be this storage account, so no result.
resource "azapi_resource" "workspace" {
  type      = "Microsoft.MachineLearningServices/workspaces@2024-04-01"
  name      = "ws-private"
  location  = "westeurope"
  parent_id = azurerm_resource_group.rg.id
  body = {
    properties = {
      storageAccount      = azapi_resource.st.id
      publicNetworkAccess = "Disabled"
    }
  }
}

resource "azapi_resource" "pe_blob" {
  type      = "Microsoft.Network/privateEndpoints@2023-09-01"
  name      = "pe-st-blob"
  location  = "westeurope"
  parent_id = azurerm_resource_group.rg.id
  body = {
    properties = {
      subnet = { id = azurerm_subnet.pe.id }
      privateLinkServiceConnections = [
        { name = "blob", properties = { privateLinkServiceId = azapi_resource.st.id, groupIds = ["blob"] } },
      ]
    }
  }
}

resource "azapi_resource" "pe_other" {
  type      = "Microsoft.Network/privateEndpoints@2023-09-01"
  name      = "pe-other"
  location  = "westeurope"
  parent_id = azurerm_resource_group.rg.id
  body = {
    properties = {
      subnet = { id = azurerm_subnet.pe.id }
      privateLinkServiceConnections = [
        { name = "other", properties = { privateLinkServiceId = var.target_id, groupIds = ["file", "queue", "table"] } },
      ]
    }
  }
}
