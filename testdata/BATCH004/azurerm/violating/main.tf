# No encryption block: stored data uses Microsoft-managed keys.
resource "azurerm_batch_account" "platform_key" {
  name                          = "batchplatformkey"
  resource_group_name           = "rg"
  location                      = "westeurope"
  public_network_access_enabled = false
}
