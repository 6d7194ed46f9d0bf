resource "azapi_resource" "acr" {
  type      = "Microsoft.ContainerRegistry/registries@2023-07-01"
  name      = "acrml"
  location  = "westeurope"
  parent_id = azurerm_resource_group.rg.id
  body = {
    sku = { name = "Premium" }
    properties = {
      policies = {
        quarantinePolicy = { status = "disabled" }
      }
    }
  }
}

resource "azapi_resource" "workspace" {
  type      = "Microsoft.MachineLearningServices/workspaces@2024-04-01"
  name      = "ws-private"
  location  = "westeurope"
  parent_id = azurerm_resource_group.rg.id
  body = {
    properties = {
      containerRegistry   = azapi_resource.acr.id
      publicNetworkAccess = "Disabled"
    }
  }
}
