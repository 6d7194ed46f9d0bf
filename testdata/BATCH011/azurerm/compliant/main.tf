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

# Endpoint rules that deny 0.0.0.0/0, which covers IPv4 only. The pool's public IP is IPv4.
resource "azurerm_public_ip" "dual" {
  name                = "pip-ipv4-only-app"
  location            = "westeurope"
  resource_group_name = "rg"
  allocation_method   = "Static"
  sku                 = "Standard"
  ip_version          = "IPv4"
}

resource "azurerm_batch_pool" "dual" {
  name                           = "ipv4-only-app"
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
    public_address_provisioning_type = "UserManaged"
    public_ips                       = [azurerm_public_ip.dual.id]

    endpoint_configuration {
      name                = "app"
      protocol            = "TCP"
      backend_port        = 8080
      frontend_port_range = "7000-7100"

      network_security_group_rules {
        priority              = 150
        access                = "Allow"
        source_address_prefix = "203.0.113.0/24"
      }

      network_security_group_rules {
        priority              = 200
        access                = "Deny"
        source_address_prefix = "0.0.0.0/0"
      }
    }
  }
}
