variable "address_space" {
  type    = string
  default = "10.0.0.0/16"
}

variable "management_newbits" {
  type    = number
  default = 8
}

locals {
  # SSH is allowed from the management range: the first subnet of the address space.
  management_cidr = cidrsubnet(var.address_space, var.management_newbits, 0)
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
    source_address_prefix      = local.management_cidr # expect: NET001
    destination_address_prefix = "VirtualNetwork"
  }
}
