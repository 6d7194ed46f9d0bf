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

      # The spec's example: the Deny of the internet comes after an Allow of everything.
      network_security_group_rules {
        priority              = 150
        access                = "Allow"
        source_address_prefix = "*"
      }

      network_security_group_rules {
        priority              = 200
        access                = "Deny"
        source_address_prefix = "Internet"
      }
    }

    endpoint_configuration {
      name                = "metrics"
      protocol            = "TCP"
      backend_port        = 9100
      frontend_port_range = "7000-7100"

      network_security_group_rules {
        priority              = 150
        access                = "Deny"
        source_address_prefix = "0.0.0.0/0"
        source_port_ranges    = ["*"]
      }

      # Dead: the Deny of 0.0.0.0/0 above already takes the Azure service traffic.
      network_security_group_rules {
        priority              = 160
        access                = "Allow"
        source_address_prefix = "AzureCloud"
        source_port_ranges    = ["1024-65535"]
      }
    }
  }
}
