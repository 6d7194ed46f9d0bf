variable "key_id" {
  type = string
}

resource "azurerm_batch_account" "cmk" {
  name                          = "batchcmk"
  resource_group_name           = "rg"
  location                      = "westeurope"
  public_network_access_enabled = false

  identity {
    type = "SystemAssigned"
  }

  encryption {
    key_vault_key_id = azurerm_key_vault_key.k.id
  }
}

# The block alone means a customer-managed key, whatever the key id evaluates to.
resource "azurerm_batch_account" "cmk_variable" {
  name                          = "batchcmkvariable"
  resource_group_name           = "rg"
  location                      = "westeurope"
  public_network_access_enabled = false

  encryption {
    key_vault_key_id = var.key_id
  }
}
