locals {
  rules = [
    { name = "https", priority = 100, port = "443", source = "*" },
    { name = "ssh", priority = 110, port = "22", source = "Internet" },
    { name = "rdp-office", priority = 120, port = "3389", source = "203.0.113.7" },
  ]
}

resource "azurerm_network_security_group" "nsg" {
  name                = "nsg-dynamic"
  location            = "westeurope"
  resource_group_name = "rg"

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
      source_address_prefix      = security_rule.value.source
      destination_address_prefix = "*"
    }
  }
}
