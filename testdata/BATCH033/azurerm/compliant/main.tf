# An azurerm pool known not to exist produces nothing, so the once-per-scan note (D19) does
# not land here.
resource "azurerm_batch_pool" "disabled" {
  count               = 0
  name                = "disabled"
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
}

# An azurerm pool whose upgrade policy an azapi_update_resource sets (spec 1.10): Auto OS upgrade is
# on, so the once-per-scan note (D19) does not apply to it.
resource "azurerm_batch_pool" "patched" {
  name                = "patched-pool"
  resource_group_name = "rg"
  account_name        = "batchacct"
  vm_size             = "STANDARD_D2S_V3"
  node_agent_sku_id   = "batch.node.ubuntu 22.04"

  storage_image_reference {
    publisher = "canonical"
    offer     = "0001-com-ubuntu-server-jammy"
    sku       = "22_04-lts"
    version   = "latest"
  }
}

resource "azapi_update_resource" "patched_upgrade" {
  type        = "Microsoft.Batch/batchAccounts/pools@2024-07-01"
  resource_id = azurerm_batch_pool.patched.id
  body = {
    properties = {
      upgradePolicy = {
        mode                     = "automatic"
        automaticOSUpgradePolicy = { enableAutomaticOSUpgrade = true }
      }
    }
  }
}
