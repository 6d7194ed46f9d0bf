variable "create_debug_nsg" {
  default = false
}

# Never deployed with the defaults: no findings.
resource "azurerm_network_security_group" "debug" {
  count               = var.create_debug_nsg ? 1 : 0
  name                = "nsg-debug"
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
    source_address_prefix      = "*"
    destination_address_prefix = "*"
  }
}
