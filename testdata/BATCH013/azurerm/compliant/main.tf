# azurerm speaks Batch API 2024-07-01, which maps no remote-access ports by itself (D8), so
# BATCH013 stays silent on azurerm pools even without any endpoint configuration.
resource "azurerm_batch_pool" "linux" {
  name                           = "linux-pool"
  resource_group_name            = "rg"
  account_name                   = azurerm_batch_account.acct.name
  vm_size                        = "STANDARD_D2S_V3"
  node_agent_sku_id              = "batch.node.ubuntu 22.04"
  target_node_communication_mode = "Simplified"

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
