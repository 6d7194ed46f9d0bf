resource "azurerm_key_vault" "kv" {
  name                = "kv-ml"
  location            = "westeurope"
  resource_group_name = "rg-ml"
  tenant_id           = "00000000-0000-0000-0000-000000000000"
  sku_name            = "standard"
}

resource "azurerm_container_registry" "acr" {
  name                = "acrml"
  location            = "westeurope"
  resource_group_name = "rg-ml"
  sku                 = "Premium"
}

# Private, but no endpoint for the workspace, the Key Vault or the registry.
resource "azurerm_machine_learning_workspace" "private" {
  name                          = "ws-private"
  location                      = "westeurope"
  resource_group_name           = "rg-ml"
  application_insights_id       = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-ml/providers/Microsoft.Insights/components/ai"
  key_vault_id                  = azurerm_key_vault.kv.id
  storage_account_id            = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-ml/providers/Microsoft.Storage/storageAccounts/st"
  container_registry_id         = azurerm_container_registry.acr.id
  public_network_access_enabled = false

  identity {
    type = "SystemAssigned"
  }
}

# Public, but with a workspace endpoint: a partial private setup without a registry.
resource "azurerm_machine_learning_workspace" "partial" {
  name                    = "ws-partial"
  location                = "westeurope"
  resource_group_name     = "rg-ml"
  application_insights_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-ml/providers/Microsoft.Insights/components/ai"
  key_vault_id            = azurerm_key_vault.kv.id
  storage_account_id      = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-ml/providers/Microsoft.Storage/storageAccounts/st"

  identity {
    type = "SystemAssigned"
  }
}

resource "azurerm_private_endpoint" "partial" {
  name                = "pe-ws-partial"
  location            = "westeurope"
  resource_group_name = "rg-ml"
  subnet_id           = azurerm_subnet.pe.id

  private_service_connection {
    name                           = "ws"
    private_connection_resource_id = azurerm_machine_learning_workspace.partial.id
    subresource_names              = ["amlworkspace"]
    is_manual_connection           = false
  }
}
