# The admin source comes from a variable whose default is private; terraform.tfvars opens it.
variable "admin_source" {
  type    = string
  default = "10.0.0.0/8"
}

resource "azurerm_network_security_group" "nsg" {
  name                = "nsg-tfvars"
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
