resource "azurerm_batch_pool" "private_with_endpoints" {
  name                           = "private-with-endpoints"
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

resource "azurerm_batch_pool" "ips_without_user_managed" {
  name                           = "ips-without-user-managed"
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
    subnet_id  = azurerm_subnet.batch.id
    public_ips = [azurerm_public_ip.pip1.id]
    public_address_provisioning_type = "UserManaged"
  }
}

resource "azurerm_batch_pool" "user_managed_without_ips" {
  name                           = "user-managed-without-ips"
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
    public_address_provisioning_type = "BatchManaged"
  }
}
