resource "azurerm_batch_account" "with_vault" {
  name                 = "batchwithvault"
  resource_group_name  = "rg"
  location             = "westeurope"
  pool_allocation_mode = "UserSubscription"

  key_vault_reference {
    id  = azurerm_key_vault.kv.id
    url = azurerm_key_vault.kv.vault_uri
  }
}

resource "azurerm_batch_account" "batch_service" {
  name                 = "batchservice"
  resource_group_name  = "rg"
  location             = "westeurope"
  pool_allocation_mode = "BatchService"
}
