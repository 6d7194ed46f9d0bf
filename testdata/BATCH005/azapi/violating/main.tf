resource "azapi_resource" "no_url" {
  type      = "Microsoft.Batch/batchAccounts@2024-07-01"
  name      = "batchnourl"
  location  = "westeurope"
  parent_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg"
  body = {
    properties = {
      poolAllocationMode = "UserSubscription"
      keyVaultReference  = { id = azurerm_key_vault.kv.id }
    }
  }
}

resource "azapi_resource" "no_vault" {
  type      = "Microsoft.Batch/batchAccounts@2024-07-01"
  name      = "batchnovault"
  location  = "westeurope"
  parent_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg"
  body = jsonencode({
    properties = { poolAllocationMode = "UserSubscription" }
  })
}
