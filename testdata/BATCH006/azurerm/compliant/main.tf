variable "endpoint_count" {
  type = number
}

resource "azurerm_batch_account" "acct" {
  name                          = "batchacct"
  resource_group_name           = "rg-batch"
  location                      = "westeurope"
  public_network_access_enabled = false
}

resource "azurerm_private_endpoint" "acct" {
  name                = "pe-batchacct"
  location            = "westeurope"
  resource_group_name = "rg-batch"
  subnet_id           = azurerm_subnet.endpoints.id

  private_service_connection {
    name                           = "account"
    private_connection_resource_id = azurerm_batch_account.acct.id
    subresource_names              = ["batchAccount"]
    is_manual_connection           = false
  }
}

# The endpoint exists only when var.endpoint_count, which has no value, is not zero: no result.
resource "azurerm_batch_account" "maybe" {
  name                          = "batchmaybe"
  resource_group_name           = "rg-batch"
  location                      = "westeurope"
  public_network_access_enabled = false
}

resource "azurerm_private_endpoint" "maybe" {
  count               = var.endpoint_count
  name                = "pe-batchmaybe"
  location            = "westeurope"
  resource_group_name = "rg-batch"
  subnet_id           = azurerm_subnet.endpoints.id

  private_service_connection {
    name                           = "account"
    private_connection_resource_id = azurerm_batch_account.maybe.id
    subresource_names              = ["batchAccount"]
    is_manual_connection           = false
  }
}

# Public: BATCH001's concern.
resource "azurerm_batch_account" "public" {
  name                = "batchpublic"
  resource_group_name = "rg-batch"
  location            = "westeurope"
}
