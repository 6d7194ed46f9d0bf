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

# One endpoint with blob, file and queue: table is missing.
resource "azapi_resource" "pe" {
  type      = "Microsoft.Network/privateEndpoints@2023-09-01"
  name      = "pe-st"
  location  = "westeurope"
  parent_id = azurerm_resource_group.rg.id
  body = {
    properties = {
      subnet = { id = azurerm_subnet.pe.id }
      privateLinkServiceConnections = [
        { name = "blob", properties = { privateLinkServiceId = azapi_resource.st.id, groupIds = ["blob"] } },
        { name = "file", properties = { privateLinkServiceId = azapi_resource.st.id, groupIds = ["file"] } },
        { name = "queue", properties = { privateLinkServiceId = azapi_resource.st.id, groupIds = ["queue"] } },
      ]
    }
  }
}
