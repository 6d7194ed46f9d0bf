variable "admin_ports" {
  type = map(string)
  default = {
    ssh   = "22"
    https = "443"
  }
}

variable "admin_source" {
  type    = string
  default = "10.0.0.0/8"
}

locals {
  rules = [
    for name, port in var.admin_ports : {
      name     = "allow-${name}"
      port     = port
      priority = 100 + index(keys(var.admin_ports), name)
      source   = var.admin_source
    }
  ]
}

resource "azurerm_network_security_group" "nsg" {
  name                = "nsg-admin"
  location            = "westeurope"
  resource_group_name = "rg-network"

  dynamic "security_rule" {
    for_each = local.rules
    content {
      name                       = security_rule.value.name
      priority                   = security_rule.value.priority
      direction                  = "Inbound"
      access                     = "Allow"
      protocol                   = "Tcp"
      source_port_range          = "*"
      destination_port_range     = security_rule.value.port
      source_address_prefix      = security_rule.value.source # expect: NET001
      destination_address_prefix = "VirtualNetwork"
    }
  }
}
