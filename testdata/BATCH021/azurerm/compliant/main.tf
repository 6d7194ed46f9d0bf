variable "admin_source" {
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
    endpoint_configuration {
      name                = "app"
      protocol            = "TCP"
      backend_port        = 8080
      frontend_port_range = "4000-4100"

      network_security_group_rules {
        priority              = 150
        access                = "Allow"
        source_address_prefix = "203.0.113.0/24"
        source_port_ranges    = ["1024-65535"]
      }
      network_security_group_rules {
        priority              = 160
        access                = "Allow"
        source_address_prefix = var.admin_source
      }
      network_security_group_rules {
        priority              = 4096
        access                = "Deny"
        source_address_prefix = "*"
        source_port_ranges    = ["*"]
      }
    }
    endpoint_configuration {
      name                = "admin"
      protocol            = "TCP"
      backend_port        = 8081
      frontend_port_range = "5000-5100"

      network_security_group_rules {
        priority              = 170
        access                = "Deny"
        source_address_prefix = "Internet"
      }
    }
  }
}
