resource "azurerm_subnet" "bastion" {
  name                 = "bastion"
  resource_group_name  = "rg"
  virtual_network_name = "vnet"
  address_prefixes     = ["10.0.1.0/27"]
}

resource "azurerm_subnet" "small" {
  name                 = "AzureBastionSubnet"
  resource_group_name  = "rg"
  virtual_network_name = "vnet2"
  address_prefixes     = ["10.0.2.0/27"]
}

resource "azurerm_bastion_host" "named_wrong" {
  name                = "named_wrong"
  location            = "westeurope"
  resource_group_name = "rg"

  ip_configuration {
    name                 = "configuration"
    subnet_id            = azurerm_subnet.bastion.id
    public_ip_address_id = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/publicIPAddresses/pip"
  }
}

resource "azurerm_bastion_host" "too_small" {
  name                = "too_small"
  location            = "westeurope"
  resource_group_name = "rg"

  ip_configuration {
    name                 = "configuration"
    subnet_id            = azurerm_subnet.small.id
    public_ip_address_id = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/publicIPAddresses/pip"
  }
}
