resource "azurerm_batch_account" "aad_only" {
  name                          = "batchaad"
  resource_group_name           = "rg"
  location                      = "westeurope"
  public_network_access_enabled = false
  allowed_authentication_modes  = ["AAD"]
}
