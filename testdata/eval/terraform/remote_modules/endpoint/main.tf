# A private Batch account whose private endpoint a registry module deploys: batchguard does not
# fetch the module, so it cannot say the endpoint is missing (BATCH006 stays silent).
resource "azurerm_batch_account" "acct" {
  name                          = "acct"
  resource_group_name           = "rg"
  location                      = "westeurope"
  public_network_access_enabled = false
}

module "endpoint" {
  source  = "Azure/avm-res-network-privateendpoint/azurerm"
  version = "0.2.0"

  name                           = "pe-acct"
  private_connection_resource_id = azurerm_batch_account.acct.id
  subresource_names              = ["batchAccount"]
}
