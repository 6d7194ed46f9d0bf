resource "azurerm_storage_account" "st" {
  name                     = "stml"
  location                 = "westeurope"
  resource_group_name      = "rg-ml"
  account_tier             = "Standard"
  account_replication_type = "LRS"
}

resource "azurerm_machine_learning_workspace" "ws" {
  name                          = "ws-private"
  location                      = "westeurope"
  resource_group_name           = "rg-ml"
  application_insights_id       = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-ml/providers/Microsoft.Insights/components/ai"
  key_vault_id                  = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-ml/providers/Microsoft.KeyVault/vaults/kv"
  storage_account_id            = azurerm_storage_account.st.id
  public_network_access_enabled = false

  identity {
    type = "SystemAssigned"
  }
}

# blob and file only: queue and table are missing.
resource "azurerm_private_endpoint" "blob" {
  name                = "pe-st-blob"
  location            = "westeurope"
  resource_group_name = "rg-ml"
  subnet_id           = azurerm_subnet.pe.id

  private_service_connection {
    name                           = "blob"
    private_connection_resource_id = azurerm_storage_account.st.id
    subresource_names              = ["blob"]
    is_manual_connection           = false
  }
}

resource "azurerm_private_endpoint" "file" {
  name                = "pe-st-file"
  location            = "westeurope"
  resource_group_name = "rg-ml"
  subnet_id           = azurerm_subnet.pe.id

  private_service_connection {
    name                           = "file"
    private_connection_resource_id = azurerm_storage_account.st.id
    subresource_names              = ["file"]
    is_manual_connection           = false
  }
}
