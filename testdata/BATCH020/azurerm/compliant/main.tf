variable "frontend_range" {
  type = string
}

resource "azurerm_batch_pool" "ok" {
  name                           = "ok"
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
    # The provider's minimum: the end exceeds the start by exactly 100.
    endpoint_configuration {
      name                = "ssh"
      protocol            = "TCP"
      backend_port        = 22
      frontend_port_range = "60000-60100"
      network_security_group_rules {
        priority              = 170
        access                = "Deny"
        source_address_prefix = "*"
      }
    }
    endpoint_configuration {
      name                = "app_"
      protocol            = "UDP"
      backend_port        = 8080
      frontend_port_range = "60101-60201"
      network_security_group_rules {
        priority              = 180
        access                = "Deny"
        source_address_prefix = "*"
      }
    }
    endpoint_configuration {
      name                = "from-variable"
      protocol            = "TCP"
      backend_port        = 8081
      frontend_port_range = var.frontend_range
      network_security_group_rules {
        priority              = 190
        access                = "Deny"
        source_address_prefix = "*"
      }
    }
  }
}
