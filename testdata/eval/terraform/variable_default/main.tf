# The admin source comes from a variable whose default is open to the internet.
variable "admin_source" {
  type    = string
  default = "*"
}

resource "azurerm_network_security_group" "nsg" {
  name                = "nsg-default"
  location            = "westeurope"
  resource_group_name = "rg"
}

resource "azurerm_network_security_rule" "ssh" {
  name                        = "ssh"
  priority                    = 100
  direction                   = "Inbound"
  access                      = "Allow"
  protocol                    = "Tcp"
  source_port_range           = "*"
  destination_port_range      = "22"
  source_address_prefix       = var.admin_source
  destination_address_prefix  = "*"
  resource_group_name         = "rg"
  network_security_group_name = azurerm_network_security_group.nsg.name
}
