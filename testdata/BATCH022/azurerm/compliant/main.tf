variable "provisioning" {
  type = string
}

resource "azurerm_batch_pool" "private" {
  name                           = "private"
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

  network_configuration {
    subnet_id                        = azurerm_subnet.batch.id
    public_address_provisioning_type = "NoPublicIPAddresses"
  }
}

resource "azurerm_batch_pool" "user_managed" {
  name                           = "user-managed"
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

  network_configuration {
    subnet_id                        = azurerm_subnet.batch.id
    public_address_provisioning_type = "UserManaged"
    public_ips                       = [azurerm_public_ip.pip1.id]
  }
}

resource "azurerm_batch_pool" "from_variable" {
  name                           = "from-variable"
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

  network_configuration {
    subnet_id                        = azurerm_subnet.batch.id
    public_address_provisioning_type = var.provisioning
    public_ips                       = [azurerm_public_ip.pip1.id]

    endpoint_configuration {
      name                = "app"
      protocol            = "TCP"
      backend_port        = 8080
      frontend_port_range = "4000-4100"
      network_security_group_rules {
        priority              = 170
        access                = "Deny"
        source_address_prefix = "*"
      }
    }
  }
}
