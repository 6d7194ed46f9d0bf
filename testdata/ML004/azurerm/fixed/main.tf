resource "azurerm_container_registry" "acr" {
  name                      = "acrml"
  location                  = "westeurope"
  resource_group_name       = "rg-ml"
  sku                       = "Premium"
  quarantine_policy_enabled = false
}

resource "azurerm_machine_learning_workspace" "ws" {
  name                          = "ws-private"
  location                      = "westeurope"
  resource_group_name           = "rg-ml"
  application_insights_id       = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-ml/providers/Microsoft.Insights/components/ai"
  key_vault_id                  = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-ml/providers/Microsoft.KeyVault/vaults/kv"
  storage_account_id            = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-ml/providers/Microsoft.Storage/storageAccounts/st"
  container_registry_id         = azurerm_container_registry.acr.id
  public_network_access_enabled = false

  identity {
    type = "SystemAssigned"
  }
}
