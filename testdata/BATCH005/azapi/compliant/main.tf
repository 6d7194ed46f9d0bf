resource "azapi_resource" "with_vault" {
  type      = "Microsoft.Batch/batchAccounts@2024-07-01"
  name      = "batchwithvault"
  location  = "westeurope"
  parent_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg"
  body = {
    properties = {
      poolAllocationMode = "UserSubscription"
      keyVaultReference  = { id = azurerm_key_vault.kv.id, url = azurerm_key_vault.kv.vault_uri }
    }
  }
}
