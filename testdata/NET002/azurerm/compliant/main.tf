resource "azurerm_network_security_group" "rdp" {
  name                = "nsg-rdp"
  location            = "westeurope"
  resource_group_name = "rg"

  security_rule {
    name                       = "rdp-from-bastion"
    priority                   = 300
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "3389"
    source_address_prefixes    = ["10.0.250.0/26", "192.168.10.0/24"]
    destination_address_prefix = "*"
  }

  security_rule {
    name                       = "rdp-source-ports"
    priority                   = 310
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "1024-2048"
    destination_port_range     = "3389"
    source_address_prefix      = "*"
    destination_address_prefix = "*"
  }
}
