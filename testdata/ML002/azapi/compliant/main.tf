resource "azapi_resource" "kv" {
  type      = "Microsoft.KeyVault/vaults@2023-07-01"
  name      = "kv-ml"
  location  = "westeurope"
  parent_id = azurerm_resource_group.rg.id
  body = {
    properties = {
      tenantId = "00000000-0000-0000-0000-000000000000"
      sku      = { family = "A", name = "standard" }
    }
  }
}

resource "azapi_resource" "acr" {
  type      = "Microsoft.ContainerRegistry/registries@2023-07-01"
  name      = "acrml"
  location  = "westeurope"
  parent_id = azurerm_resource_group.rg.id
  body = {
    sku        = { name = "Premium" }
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
      keyVault            = azapi_resource.kv.id
      containerRegistry   = azapi_resource.acr.id
      publicNetworkAccess = "Disabled"
    }
  }
}

# One endpoint with three connections; group ids compare case-insensitively.
resource "azapi_resource" "pe" {
  type      = "Microsoft.Network/privateEndpoints@2023-09-01"
  name      = "pe-ml"
  location  = "westeurope"
  parent_id = azurerm_resource_group.rg.id
  body = {
    properties = {
      subnet = { id = azurerm_subnet.pe.id }
      privateLinkServiceConnections = [
        { name = "ws", properties = { privateLinkServiceId = azapi_resource.workspace.id, groupIds = ["amlworkspace"] } },
        { name = "kv", properties = { privateLinkServiceId = azapi_resource.kv.id, groupIds = ["Vault"] } },
        { name = "acr", properties = { privateLinkServiceId = azapi_resource.acr.id, groupIds = ["REGISTRY"] } },
      ]
    }
  }
}

resource "azapi_resource" "hub" {
  type      = "Microsoft.MachineLearningServices/workspaces@2024-10-01"
  name      = "hub"
  location  = "westeurope"
  parent_id = azurerm_resource_group.rg.id
  body = {
    kind = "Hub"
    properties = {
      keyVault            = azapi_resource.kv.id
      containerRegistry   = azapi_resource.acr.id
      publicNetworkAccess = "Disabled"
    }
  }
}

# A private project uses its hub's registry and private endpoints: the hub is judged.
resource "azapi_resource" "project" {
  type      = "Microsoft.MachineLearningServices/workspaces@2024-10-01"
  name      = "hub-project"
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

resource "azapi_resource" "pe_hub" {
  type      = "Microsoft.Network/privateEndpoints@2023-09-01"
  name      = "pe-hub"
  location  = "westeurope"
  parent_id = azurerm_resource_group.rg.id
  body = {
    properties = {
      subnet = { id = azurerm_subnet.pe.id }
      privateLinkServiceConnections = [
        { name = "hub", properties = { privateLinkServiceId = azapi_resource.hub.id, groupIds = ["amlworkspace"] } },
      ]
    }
  }
}
