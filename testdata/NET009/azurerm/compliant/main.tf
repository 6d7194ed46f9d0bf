resource "azurerm_public_ip" "standard" {
  name                = "pip-standard"
  location            = "westeurope"
  resource_group_name = "rg"
  allocation_method   = "Static"
  sku                 = "Standard"
}

resource "azurerm_lb" "standard" {
  name                = "lb-standard"
  location            = "westeurope"
  resource_group_name = "rg"
  sku                 = "Standard"

  frontend_ip_configuration {
    name                 = "PublicIPAddress"
    public_ip_address_id = azurerm_public_ip.standard.id
  }
}

resource "azurerm_lb" "default" {
  name                = "lb-default"
  location            = "westeurope"
  resource_group_name = "rg"
}
