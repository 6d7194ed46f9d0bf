variable "office_range" {
  type = string
}

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
        access                = "Deny"
        source_address_prefix = "*"
      }
    }

    endpoint_configuration {
      name                = "ssh-variable"
      protocol            = "TCP"
      backend_port        = 2222
      frontend_port_range = "6000-6100"

      network_security_group_rules {
        priority              = 190
        access                = "Allow"
        source_address_prefix = var.office_range
      }
    }
  }
}
