variable "password" {
  type      = string
  sensitive = true
}

resource "azurerm_batch_pool" "admin" {
  name                = "admin"
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
    public_address_provisioning_type = "NoPublicIPAddresses"
  }

  user_accounts {
    name            = "operator"
    password        = var.password
    elevation_level = "Admin"
  }

  user_accounts {
    name            = "reader"
    password        = var.password
    elevation_level = "NonAdmin"
  }
}

# The endpoint rules allow known ranges only and never deny the rest (BATCH011): escalated.
resource "azurerm_batch_pool" "unrestricted" {
  name                = "unrestricted"
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
      network_security_group_rules {
        priority              = 150
        access                = "Allow"
        source_address_prefix = "203.0.113.0/24"
      }
    }
  }

  user_accounts {
    name            = "app"
    password        = var.password
    elevation_level = "NonAdmin"
  }
}
