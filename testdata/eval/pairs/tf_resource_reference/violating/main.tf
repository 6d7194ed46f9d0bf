resource "azurerm_network_security_group" "bastion" {
  name                = "nsg-bastion"
  location            = "westeurope"
  resource_group_name = "rg-network"
}

resource "azurerm_network_security_rule" "ssh" {
  name                        = "allow-ssh"
  priority                    = 200
  direction                   = "Inbound"
  access                      = "Allow"
  protocol                    = "Tcp"
  source_port_range           = "*"
  destination_port_range      = "22"
  source_address_prefix       = "*" # expect: NET001
  destination_address_prefix  = "VirtualNetwork"
  resource_group_name         = azurerm_network_security_group.bastion.resource_group_name
  network_security_group_name = azurerm_network_security_group.bastion.name
}
