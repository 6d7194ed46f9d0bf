variable "target" {
  type = string
}

resource "azurerm_batch_pool" "host_encryption" {
  name                = "host-encryption"
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

  security_profile {
    host_encryption_enabled = true
  }
}

resource "azurerm_batch_pool" "windows_both" {
  name                = "windows-both"
  resource_group_name = "rg"
  account_name        = azurerm_batch_account.acct.name
  vm_size             = "STANDARD_D2S_V3"
  node_agent_sku_id   = "batch.node.windows amd64"

  storage_image_reference {
    publisher = "MicrosoftWindowsServer"
    offer     = "WindowsServer"
    sku       = "2022-datacenter"
    version   = "latest"
  }

  disk_encryption {
    disk_encryption_target = "OsDisk"
  }
  disk_encryption {
    disk_encryption_target = "TemporaryDisk"
  }
}

resource "azurerm_batch_pool" "target_variable" {
  name                = "target-variable"
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

  disk_encryption {
    disk_encryption_target = var.target
  }
}
