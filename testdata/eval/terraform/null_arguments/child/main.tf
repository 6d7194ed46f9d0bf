variable "pna" {
  type     = bool
  default  = false
  nullable = false
}
variable "nullable_pna" {
  type    = bool
  default = false
}
resource "azurerm_batch_account" "a" {
  name                          = "a"
  resource_group_name           = "rg"
  location                      = "westeurope"
  public_network_access_enabled = var.pna
  allowed_authentication_modes  = ["AAD"]
}
resource "azurerm_batch_account" "b" {
  name                          = "b"
  resource_group_name           = "rg"
  location                      = "westeurope"
  public_network_access_enabled = var.nullable_pna
  allowed_authentication_modes  = ["AAD"]
}
