# Certificates come from Key Vault through the VM extension and the pool's managed identity.
resource "azurerm_batch_pool" "key_vault_extension" {
  name                = "key-vault-extension"
  resource_group_name = "rg"
  account_name        = azurerm_batch_account.acct.name
  vm_size             = "STANDARD_D2S_V3"
  node_agent_sku_id   = "batch.node.ubuntu 22.04"

  identity {
    type         = "UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.pool.id]
  }

  storage_image_reference {
    publisher = "canonical"
    offer     = "0001-com-ubuntu-server-jammy"
    sku       = "22_04-lts"
    version   = "latest"
  }

  extensions {
    name                 = "KVVMExtensionForLinux"
    publisher            = "Microsoft.Azure.KeyVault"
    type                 = "KeyVaultForLinux"
    type_handler_version = "2.0"
  }
}
