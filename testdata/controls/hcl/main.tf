resource "azurerm_network_security_group" "jump" {
  name                = "nsg-jump"
  location            = "westeurope"
  resource_group_name = "rg"

  security_rule {
    name                       = "ssh-from-anywhere"
    priority                   = 100
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "22"
    # batchguard:ignore NET001 reason="jump host, reviewed by the platform team" until=2999-12-31
    source_address_prefix      = "*"
    destination_address_prefix = "*"
  }

  security_rule {
    name                       = "rdp-from-anywhere"
    priority                   = 110
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "3389"
    source_address_prefix      = "*" // batchguard:ignore NET002 reason="expired exception" until=2020-01-31
    destination_address_prefix = "*"
  }

  security_rule {
    name                       = "ssh-alt"
    priority                   = 120
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "2222"
    /* batchguard:ignore NET001 reason="nothing to silence here" */
    source_address_prefix      = "*"
    destination_address_prefix = "*"
  }
}

resource "azurerm_batch_account" "acct" {
  name                          = "batchacct"
  resource_group_name           = "rg"
  location                      = "westeurope"
  allowed_authentication_modes  = ["AAD"]
  public_network_access_enabled = true # batchguard:ignore BATCH001
}
