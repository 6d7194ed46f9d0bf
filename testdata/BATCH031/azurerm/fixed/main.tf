resource "azurerm_batch_pool" "nothing" {
  name                = "nothing"
  resource_group_name = "rg"
  account_name        = azurerm_batch_account.acct.name
  vm_size             = "STANDARD_D2S_V3"
  node_agent_sku_id   = "batch.node.ubuntu 22.04"
  security_profile {
    host_encryption_enabled = true
  }

  storage_image_reference {
    publisher = "canonical"
    offer     = "0001-com-ubuntu-server-jammy"
    sku       = "22_04-lts"
    version   = "latest"
  }
}

resource "azurerm_batch_pool" "os_disk_only" {
  name                = "os-disk-only"
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

  disk_encryption {
    disk_encryption_target = "OsDisk"
  }
}

# Windows needs both targets: an error, even though host encryption is on.
resource "azurerm_batch_pool" "windows_temporary_only" {
  name                = "windows-temporary-only"
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

  security_profile {
    host_encryption_enabled = true
  }

  disk_encryption {
    disk_encryption_target = "TemporaryDisk"
  }
}
