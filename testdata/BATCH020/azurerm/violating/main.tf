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
    # 60000-60099 holds 100 ports: enough for the Batch service, one short for the provider.
    endpoint_configuration {
      name                = "app"
      protocol            = "TCP"
      backend_port        = 8080
      frontend_port_range = "60000-60099"
    }
    endpoint_configuration {
      name                = "spaced"
      protocol            = "TCP"
      backend_port        = 8081
      frontend_port_range = "4000 - 4100"
    }
    endpoint_configuration {
      name                = "single"
      protocol            = "TCP"
      backend_port        = 8082
      frontend_port_range = "4000"
    }
    endpoint_configuration {
      name                = "straddle"
      protocol            = "ICMP"
      backend_port        = 29877
      frontend_port_range = "49950-50050"
    }
    endpoint_configuration {
      name                = "app"
      protocol            = "UDP"
      backend_port        = 8080
      frontend_port_range = "60050-60200"
    }
  }
}

# The elements of a dynamic block share one block: only the element whose range is too narrow
# ('narrow') is reported, not its siblings.
locals {
  endpoints = [
    { name = "wide-a", port = 8001, range = "7000-7100" },
    { name = "narrow", port = 8002, range = "8000-8050" },
    { name = "wide-b", port = 8003, range = "9000-9100" },
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
    dynamic "endpoint_configuration" {
      for_each = local.endpoints
      content {
        name                = endpoint_configuration.value.name
        protocol            = "TCP"
        backend_port        = endpoint_configuration.value.port
        frontend_port_range = endpoint_configuration.value.range
      }
    }
  }
}
