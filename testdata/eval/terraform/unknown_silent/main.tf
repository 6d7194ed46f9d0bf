# No default and no tfvars: the source is unknown, so nothing is reported.
variable "admin_source" {
  type = string
}

data "azurerm_subnet" "bastion" {
  name                 = "AzureBastionSubnet"
  virtual_network_name = "vnet"
  resource_group_name  = "rg"
}

resource "azurerm_network_security_group" "nsg" {
  name                = "nsg-unknown"
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

  security_rule {
    name                       = "ssh-bastion"
    priority                   = 110
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "22"
    source_address_prefixes    = data.azurerm_subnet.bastion.address_prefixes
    destination_address_prefix = "*"
  }
}
