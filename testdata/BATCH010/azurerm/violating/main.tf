resource "azurerm_batch_pool" "linux" {
  name                = "linux-pool"
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

  network_configuration {
    endpoint_configuration {
      name                = "SSH"
      protocol            = "TCP"
      backend_port        = 22
      frontend_port_range = "4000-4100"
    }

    endpoint_configuration {
      name                = "ssh-alt"
      protocol            = "TCP"
      backend_port        = 3389
      frontend_port_range = "5000-5100"

      network_security_group_rules {
        priority              = 150
        access                = "Allow"
        source_address_prefix = "Internet"
        source_port_ranges    = ["*"]
      }
    }
  }
}
