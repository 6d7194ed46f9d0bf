resource "azurerm_network_security_group" "rdp" {
  name                = "nsg-rdp"
  location            = "westeurope"
  resource_group_name = "rg"

  security_rule {
    name                       = "rdp"
    priority                   = 300
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "*"
    source_port_range          = "*"
    destination_port_range     = "3389"
    source_address_prefix      = "Any"
    destination_address_prefix = "10.1.0.4"
  }
}
