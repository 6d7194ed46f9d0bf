variable "environment" {
  type    = string
  default = "prod"
}

variable "extra_sources" {
  type    = map(string)
  default = {}
}

locals {
  default_sources = {
    prod = format("%s/%d", "10.0.0.0", 8)
    dev  = format("%s/%d", "10.1.0.0", 16)
  }
  sources = merge(local.default_sources, var.extra_sources)
}

resource "azurerm_network_security_group" "nsg" {
  name                = "nsg-ssh"
  location            = "westeurope"
  resource_group_name = "rg-network"

  security_rule {
    name                       = "allow-ssh"
    priority                   = 100
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "22"
    source_address_prefix      = lookup(local.sources, var.environment, "10.0.0.0/8")
    destination_address_prefix = "VirtualNetwork"
  }
}
