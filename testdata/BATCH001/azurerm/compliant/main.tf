variable "public" {
  type = bool
}

resource "azurerm_batch_account" "private" {
  name                          = "batchprivate"
  resource_group_name           = "rg"
  location                      = "westeurope"
  public_network_access_enabled = false
  allowed_authentication_modes  = ["AAD"]
}

resource "azurerm_batch_account" "from_variable" {
  name                          = "batchvariable"
  resource_group_name           = "rg"
  location                      = "westeurope"
  public_network_access_enabled = var.public
  allowed_authentication_modes  = ["AAD"]
}
