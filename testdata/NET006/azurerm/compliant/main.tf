variable "bastion_prefix" {
  type = string
}

resource "azurerm_subnet" "bastion" {
  name                 = "AzureBastionSubnet"
  resource_group_name  = "rg"
  virtual_network_name = "vnet"
  address_prefixes     = ["10.0.1.0/26"]
}

resource "azurerm_subnet" "from_variable" {
  name                 = "AzureBastionSubnet"
  resource_group_name  = "rg"
  virtual_network_name = "vnet2"
  address_prefixes     = [var.bastion_prefix]
}

resource "azurerm_bastion_host" "ok" {
  name                = "ok"
  location            = "westeurope"
  resource_group_name = "rg"

  ip_configuration {
    name                 = "configuration"
    subnet_id            = azurerm_subnet.bastion.id
    public_ip_address_id = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/publicIPAddresses/pip"
  }
}

resource "azurerm_bastion_host" "unknown_prefix" {
  name                = "unknown_prefix"
  location            = "westeurope"
  resource_group_name = "rg"

  ip_configuration {
    name                 = "configuration"
    subnet_id            = azurerm_subnet.from_variable.id
    public_ip_address_id = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/publicIPAddresses/pip"
  }
}

resource "azurerm_bastion_host" "developer" {
  name                = "developer"
  location            = "westeurope"
  resource_group_name = "rg"
  sku                 = "Developer"
  virtual_network_id  = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet"
}
