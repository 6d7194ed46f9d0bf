resource "azurerm_machine_learning_workspace" "private" {
  name                          = "ws-private"
  location                      = "westeurope"
  resource_group_name           = "rg"
  application_insights_id       = azurerm_application_insights.ai.id
  key_vault_id                  = azurerm_key_vault.kv.id
  storage_account_id            = azurerm_storage_account.sa.id
  public_network_access_enabled = false

  identity {
    type = "SystemAssigned"
  }
}

resource "azurerm_ai_foundry" "hub" {
  name                  = "hub-private"
  location              = "westeurope"
  resource_group_name   = "rg"
  key_vault_id          = azurerm_key_vault.kv.id
  storage_account_id    = azurerm_storage_account.sa.id
  public_network_access = "Disabled"

  identity {
    type = "SystemAssigned"
  }
}

# A project has its hub's network access: the hub is judged, not the project.
resource "azurerm_ai_foundry_project" "project" {
  name               = "hub-project"
  location           = "westeurope"
  ai_services_hub_id = azurerm_ai_foundry.hub.id
}
