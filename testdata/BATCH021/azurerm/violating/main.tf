resource "azurerm_batch_pool" "faults" {
  name                           = "faults"
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
        priority              = 149
        access                = "Allow"
        source_address_prefix = "203.0.113.0/24"
      }
      network_security_group_rules {
        priority              = 200
        access                = "Allowed"
        source_address_prefix = "office-network"
        source_port_ranges    = ["*", "443"]
      }
    }
    endpoint_configuration {
      name                = "admin"
      protocol            = "TCP"
      backend_port        = 8081
      frontend_port_range = "5000-5100"

      network_security_group_rules {
        priority              = 200
        access                = "Deny"
        source_address_prefix = "10.0.0.256"
        source_port_ranges    = ["1024-65535", "65535"]
      }
    }
  }
}

# Endpoint rules generated from a list: the rule at fault is named by its priority, and its list
# item is a related location.
locals {
  endpoint_rules = [
    { priority = 300, access = "Allow", source = "203.0.113.0/24" },
    { priority = 310, access = "Block", source = "*" },
  ]
}

resource "azurerm_batch_pool" "generated" {
  name                           = "generated"
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

      dynamic "network_security_group_rules" {
        for_each = local.endpoint_rules
        content {
          priority              = network_security_group_rules.value.priority
          access                = network_security_group_rules.value.access
          source_address_prefix = network_security_group_rules.value.source
        }
      }
    }
  }
}
