resource "azurerm_machine_learning_workspace" "defaulted" {
  name                    = "ws-defaulted"
  location                = "westeurope"
  resource_group_name     = "rg"
  application_insights_id = azurerm_application_insights.ai.id
  key_vault_id            = azurerm_key_vault.kv.id
  storage_account_id      = azurerm_storage_account.sa.id
  public_network_access_enabled = false

  identity {
    type = "SystemAssigned"
  }
}

resource "azurerm_machine_learning_workspace" "public" {
  name                          = "ws-public"
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

# Private, but still open to public clients behind a virtual network (an azurerm 3.x attribute).
resource "azurerm_machine_learning_workspace" "behind_vnet" {
  name                                         = "ws-behind-vnet"
  location                                     = "westeurope"
  resource_group_name                          = "rg"
  application_insights_id                      = azurerm_application_insights.ai.id
  key_vault_id                                 = azurerm_key_vault.kv.id
  storage_account_id                           = azurerm_storage_account.sa.id
  public_network_access_enabled                = false
  public_access_behind_virtual_network_enabled = false

  identity {
    type = "SystemAssigned"
  }
}

# An AI Foundry hub is a workspace too; its public network access defaults to Enabled.
resource "azurerm_ai_foundry" "hub" {
  name                = "hub-public"
  location            = "westeurope"
  resource_group_name = "rg"
  key_vault_id        = azurerm_key_vault.kv.id
  storage_account_id  = azurerm_storage_account.sa.id
  public_network_access = "Disabled"

  identity {
    type = "SystemAssigned"
  }
}
