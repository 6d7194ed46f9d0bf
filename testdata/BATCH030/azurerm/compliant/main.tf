variable "secure_boot" {
  type = bool
}

resource "azurerm_batch_pool" "trusted_launch" {
  name                = "trusted-launch"
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

resource "azurerm_batch_pool" "secure_boot_variable" {
  name                = "secure-boot-variable"
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
    secure_boot_enabled = var.secure_boot
    vtpm_enabled        = true
  }
}
