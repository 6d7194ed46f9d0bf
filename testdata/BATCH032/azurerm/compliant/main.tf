# azurerm has no upgradePolicy, so Auto OS upgrade is never on and BATCH032 gives no result,
# even for a Windows pool that keeps Windows automatic updates on.
resource "azurerm_batch_pool" "windows" {
  name                = "windows"
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

  windows {
    enable_automatic_updates = true
  }
}
