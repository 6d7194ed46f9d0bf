# A private Batch account with no private endpoint. The modules it calls are not fetched, but
# none is passed anything that could name the account (the naming module takes a literal suffix),
# and the endpoint module is called zero times: BATCH006 reports the account.
resource "azurerm_batch_account" "acct" {
  name                          = "acct"
  resource_group_name           = "rg"
  location                      = "westeurope"
  public_network_access_enabled = false
}

module "naming" {
  source  = "Azure/naming/azurerm"
  version = "0.4.0"
  suffix  = ["batch"]
}

module "endpoint" {
  source = "git::https://example.com/modules/private-endpoint.git?ref=v1"
  count  = 0

  private_connection_resource_id = azurerm_batch_account.acct.id
}
