variable "admin_source" {
  type    = string
  default = "10.0.0.0/8"
}

resource "azurerm_network_security_group" "admin" {
  name                = "admin-nsg"
  location            = "westeurope"
  resource_group_name = "rg"

  security_rule {
    name                       = "ssh"
    priority                   = 100
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "22"
    source_address_prefix      = var.admin_source
    destination_address_prefix = "*"
  }
}
