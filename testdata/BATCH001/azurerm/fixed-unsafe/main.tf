resource "azurerm_batch_account" "defaulted" {
  name                         = "batchdefaulted"
  resource_group_name          = "rg"
  location                     = "westeurope"
  allowed_authentication_modes = ["AAD"]
  public_network_access_enabled = false
}

resource "azurerm_batch_account" "public" {
  name                          = "batchpublic"
  resource_group_name           = "rg"
  location                      = "westeurope"
  public_network_access_enabled = false
  allowed_authentication_modes  = ["AAD"]
}
