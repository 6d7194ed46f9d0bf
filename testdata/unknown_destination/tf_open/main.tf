# SSH from the internet to whatever `var.destination` is: a variable without a value.
variable "destination" {
  type = string
}

resource "azurerm_network_security_group" "workers" {
  name                = "workers"
  location            = "westeurope"
  resource_group_name = "rg"

  security_rule {
    name                       = "ssh-in"
    priority                   = 100
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "22"
    source_address_prefix      = "Internet"
    destination_address_prefix = var.destination
  }

  security_rule {
    name                       = "deny-vnet"
    priority                   = 200
    direction                  = "Inbound"
    access                     = "Deny"
    protocol                   = "*"
    source_port_range          = "*"
    destination_port_range     = "*"
    source_address_prefix      = "*"
    destination_address_prefix = "VirtualNetwork"
  }
}
