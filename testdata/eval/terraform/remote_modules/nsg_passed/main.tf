# An NSG that no subnet or network interface here uses, passed to a registry module that
# builds the subnets (as Azure Verified Modules' virtual network does): NET001 judges it on
# its own and says where it may be used. The second NSG is passed to nothing.

resource "azurerm_network_security_group" "remote" {
  name                = "nsg-remote"
  location            = "westeurope"
  resource_group_name = "rg"

  security_rule {
    name                       = "SSH"
    priority                   = 152
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "22"
    source_address_prefix      = "*"
    destination_address_prefix = "*"
  }
}

resource "azurerm_network_security_group" "spare" {
  name                = "nsg-spare"
  location            = "westeurope"
  resource_group_name = "rg"

  security_rule {
    name                       = "SSH"
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

module "vnet" {
  source        = "Azure/avm-res-network-virtualnetwork/azurerm"
  version       = "0.8.1"
  address_space = ["10.0.0.0/16"]
  subnets = {
    vm = {
      name             = "vm"
      address_prefixes = ["10.0.1.0/24"]
      network_security_group = {
        id = azurerm_network_security_group.remote.id
      }
    }
  }
}
