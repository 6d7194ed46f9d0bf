variable "environment" {
  type    = string
  default = "prod"
}

locals {
  admin_sources = {
    prod = "10.0.0.0/8"
    lab  = "0.0.0.0/0"
  }
  ssh_source = local.admin_sources[var.environment]
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
    source_address_prefix      = local.ssh_source # expect: NET001
    destination_address_prefix = "VirtualNetwork"
  }
}
