resource "azurerm_batch_pool" "web" {
  name                = "web-pool"
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

  network_configuration {
    endpoint_configuration {
      name                = "app"
      protocol            = "TCP"
      backend_port        = 8080
      frontend_port_range = "4000-4100"
    }

    endpoint_configuration {
      name                = "ssh-office"
      protocol            = "TCP"
      backend_port        = 22
      frontend_port_range = "5000-5100"

      network_security_group_rules {
        priority              = 170
        access                = "Allow"
        source_address_prefix = "192.168.1.0/24"
      }

      network_security_group_rules {
        priority              = 180
        access                = "Allow"
        source_address_prefix = "VirtualNetwork"
      }
    }
  }
}
