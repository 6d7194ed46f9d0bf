variable "endpoints" {
  type = map(object({
    protocol      = string
    backend_port  = number
    frontend_port = string
    sources       = list(string)
  }))
  default = {
    ssh = {
      protocol      = "TCP"
      backend_port  = 22
      frontend_port = "50000-50099"
      sources       = ["10.0.0.0/8"]
    }
  }
}

resource "azurerm_batch_pool" "pool" {
  name                = "pool-linux"
  resource_group_name = "rg-batch"
  account_name        = "batchacct"
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
    dynamic "endpoint_configuration" {
      for_each = var.endpoints
      content {
        name                = endpoint_configuration.key
        protocol            = endpoint_configuration.value.protocol
        backend_port        = endpoint_configuration.value.backend_port
        frontend_port_range = endpoint_configuration.value.frontend_port

        dynamic "network_security_group_rules" {
          for_each = endpoint_configuration.value.sources
          content {
            priority              = 150 + network_security_group_rules.key
            access                = "Allow"
            source_address_prefix = network_security_group_rules.value
            source_port_ranges    = ["*"]
          }
        }

        network_security_group_rules {
          priority              = 4000
          access                = "Deny"
          source_address_prefix = "*"
          source_port_ranges    = ["*"]
        }
      }
    }
  }
}
