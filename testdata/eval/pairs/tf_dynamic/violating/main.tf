variable "rules" {
  type = list(object({
    name     = string
    priority = number
    port     = string
    source   = string
  }))
  default = [ # origin: NET001
    { name = "allow-https", priority = 100, port = "443", source = "*" },
    { name = "allow-ssh", priority = 110, port = "22", source = "Internet" },
  ]
}

resource "azurerm_network_security_group" "nsg" {
  name                = "nsg-web"
  location            = "westeurope"
  resource_group_name = "rg-network"

  dynamic "security_rule" {
    for_each = var.rules
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
