resource "azurerm_batch_account" "no_vault" {
  name                 = "batchnovault"
  resource_group_name  = "rg"
  location             = "westeurope"
  pool_allocation_mode = "UserSubscription"
}
