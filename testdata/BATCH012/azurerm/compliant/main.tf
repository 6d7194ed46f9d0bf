variable "partner_range" {
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

  fixed_scale {
    target_dedicated_nodes = 1
  }

  network_configuration {
    endpoint_configuration {
      name                = "web"
      protocol            = "TCP"
      backend_port        = 8080
      frontend_port_range = "6000-6100"

      # The spec's example the right way round.
      network_security_group_rules {
        priority              = 150
        access                = "Deny"
        source_address_prefix = "Internet"
      }

      network_security_group_rules {
        priority              = 200
        access                = "Allow"
        source_address_prefix = "*"
      }
    }

    endpoint_configuration {
      name                = "metrics"
      protocol            = "TCP"
      backend_port        = 9100
      frontend_port_range = "7000-7100"

      network_security_group_rules {
        priority              = 150
        access                = "Allow"
        source_address_prefix = "10.0.0.0/8"
      }

      # Redundant (same access): silent unless redundant_rules is on.
      network_security_group_rules {
        priority              = 160
        access                = "Allow"
        source_address_prefix = "10.20.0.0/16"
      }

      network_security_group_rules {
        priority              = 165
        access                = "Deny"
        source_address_prefix = "172.16.0.0/12"
        source_port_ranges    = ["1024-65535"]
      }

      # Only partly covered: the Deny above takes ephemeral source ports only.
      network_security_group_rules {
        priority              = 170
        access                = "Allow"
        source_address_prefix = "172.16.5.0/24"
        source_port_ranges    = ["*"]
      }

      network_security_group_rules {
        priority              = 180
        access                = "Allow"
        source_address_prefix = var.partner_range
      }

      network_security_group_rules {
        priority              = 190
        access                = "Deny"
        source_address_prefix = "*"
      }
    }
  }
}
