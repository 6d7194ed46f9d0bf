resource "azurerm_batch_pool" "no_security_profile" {
  name                = "no-security-profile"
  resource_group_name = "rg"
  account_name        = azurerm_batch_account.acct.name
  vm_size             = "STANDARD_D2S_V3"
  node_agent_sku_id   = "batch.node.ubuntu 22.04"
  security_profile {
    security_type       = "trustedLaunch"
    secure_boot_enabled = true
    vtpm_enabled        = true
  }

  storage_image_reference {
    publisher = "canonical"
    offer     = "0001-com-ubuntu-server-jammy"
    sku       = "22_04-lts"
    version   = "latest"
  }

  fixed_scale {
    target_dedicated_nodes = 1
  }
}

resource "azurerm_batch_pool" "vtpm_off" {
  name                = "vtpm-off"
  resource_group_name = "rg"
  account_name        = azurerm_batch_account.acct.name
  vm_size             = "STANDARD_D2S_V3"
  node_agent_sku_id   = "batch.node.ubuntu 22.04"

  storage_image_reference {
    publisher = "canonical"
    offer     = "0001-com-ubuntu-server-jammy"
    sku       = "22_04-lts"
    version   = "latest"
  }

  fixed_scale {
    target_dedicated_nodes = 1
  }

  security_profile {
    security_type       = "trustedLaunch"
    secure_boot_enabled = true
    vtpm_enabled        = true
  }
}
