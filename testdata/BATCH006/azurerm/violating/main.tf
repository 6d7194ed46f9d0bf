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

# An endpoint to the account of the same name in another resource group serves that account,
# not this one.
resource "azurerm_batch_account" "same_name" {
  name                          = "batchshared"
  resource_group_name           = "rg-batch"
  location                      = "westeurope"
  public_network_access_enabled = false
}

resource "azurerm_private_endpoint" "other_group" {
  name                = "pe-batchshared"
  location            = "westeurope"
  resource_group_name = "rg-batch"
  subnet_id           = azurerm_subnet.endpoints.id

  private_service_connection {
    name                           = "account"
    private_connection_resource_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-other/providers/Microsoft.Batch/batchAccounts/batchshared"
    subresource_names              = ["batchAccount"]
    is_manual_connection           = false
  }
}
