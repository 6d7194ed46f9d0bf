resource "azurerm_public_ip" "basic" {
  name                = "pip-basic"
  location            = "westeurope"
  resource_group_name = "rg"
  allocation_method   = "Static"
  sku                 = "Standard"
}

resource "azurerm_lb" "basic" {
  name                = "lb-basic"
  location            = "westeurope"
  resource_group_name = "rg"
  sku                 = "Standard"

  frontend_ip_configuration {
    name                 = "PublicIPAddress"
    public_ip_address_id = azurerm_public_ip.basic.id
  }
}

# Not reported: no sku is Standard in azurerm 4.0 and later.
resource "azurerm_public_ip" "default" {
  name                = "pip-default"
  location            = "westeurope"
  resource_group_name = "rg"
  allocation_method   = "Static"
}
