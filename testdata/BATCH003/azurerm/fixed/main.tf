resource "azurerm_batch_account" "shared_key" {
  name                          = "batchsharedkey"
  resource_group_name           = "rg"
  location                      = "westeurope"
  public_network_access_enabled = false
  allowed_authentication_modes  = ["AAD"]
}

resource "azurerm_batch_account" "defaulted" {
  name                          = "batchdefaulted"
  resource_group_name           = "rg"
  location                      = "westeurope"
  public_network_access_enabled = false
  allowed_authentication_modes  = ["AAD"]
}
