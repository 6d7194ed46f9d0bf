variable "ssh_sources" {
  type    = list(string)
  default = ["10.0.0.0/8", "172.16.0.0/12"]
}

resource "azurerm_network_security_group" "nsg" {
  name                = "nsg-ssh"
  location            = "westeurope"
  resource_group_name = "rg-network"
}

resource "azurerm_network_security_rule" "ssh" {
  count                       = length(var.ssh_sources)
  name                        = "allow-ssh-${count.index}"
  priority                    = 100 + count.index
  direction                   = "Inbound"
  access                      = "Allow"
  protocol                    = "Tcp"
  source_port_range           = "*"
  destination_port_range      = "22"
  source_address_prefix       = var.ssh_sources[count.index]
  destination_address_prefix  = "VirtualNetwork"
  resource_group_name         = "rg-network"
  network_security_group_name = azurerm_network_security_group.nsg.name
}
