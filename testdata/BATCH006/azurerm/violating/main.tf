resource "azurerm_batch_account" "acct" {
  name                          = "batchacct"
  resource_group_name           = "rg-batch"
  location                      = "westeurope"
  public_network_access_enabled = false
}

resource "azurerm_private_endpoint" "nodes" {
  name                = "pe-batchacct-nodes"
  location            = "westeurope"
  resource_group_name = "rg-batch"
  subnet_id           = azurerm_subnet.endpoints.id

  private_service_connection {
    name                           = "nodes"
    private_connection_resource_id = azurerm_batch_account.acct.id
    subresource_names              = ["nodeManagement"]
    is_manual_connection           = false
  }
}
