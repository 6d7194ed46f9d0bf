variable "communication_mode" {
  type = string
}

resource "azurerm_batch_pool" "simplified" {
  name                           = "simplified"
  target_node_communication_mode = "Simplified"
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

resource "azurerm_batch_pool" "from_variable" {
  name                           = "from-variable"
  target_node_communication_mode = var.communication_mode
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

resource "azurerm_batch_pool" "default" {
  name                           = "default"
  target_node_communication_mode = "Default"
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

# Absent: the provider's API 2024-07-01 defaults to Default, the simplified model since classic
# communication was retired.
resource "azurerm_batch_pool" "absent" {
  name = "absent"
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
