resource "azurerm_batch_account" "acct" {
  public_network_access_enabled = false
  allowed_authentication_modes  = ["AAD"]
}

resource "azurerm_network_security_group" "replaced" {
  security_rule {
    name                       = "https"
    priority                   = 100
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "443"
    source_address_prefix      = "*"
    destination_address_prefix = "*"
  }
}

resource "azurerm_network_security_group" "removed" {
  count = 0
}

locals {
  web_source = "*"
}

# Terraform refuses an override without an original.
resource "azurerm_network_security_group" "nowhere" {
  name = "nowhere"
}
