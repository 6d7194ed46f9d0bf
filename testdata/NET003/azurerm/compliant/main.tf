variable "admin_range" {
  type = string
}

# The spec's example with the priorities swapped: the Deny of the internet decides first.
resource "azurerm_network_security_group" "app" {
  name                = "nsg-app"
  location            = "westeurope"
  resource_group_name = "rg-app"

  security_rule {
    name                       = "deny-ssh-internet"
    priority                   = 150
    direction                  = "Inbound"
    access                     = "Deny"
    protocol                   = "*"
    source_port_range          = "*"
    destination_port_range     = "22"
    source_address_prefix      = "Internet"
    destination_address_prefix = "*"
  }

  security_rule {
    name                       = "allow-ssh-vpn"
    priority                   = 200
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "*"
    source_port_range          = "*"
    destination_port_range     = "22"
    source_address_prefix      = "10.8.0.0/16"
    destination_address_prefix = "*"
  }

  # Redundant with the rule above (same access): silent unless redundant_rules is on.
  security_rule {
    name                       = "allow-ssh-vpn-admins"
    priority                   = 210
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "22"
    source_address_prefix      = "10.8.1.0/24"
    destination_address_prefix = "*"
  }
}

# Near-misses: a tag with another region, a range only partly covered, a value from a variable.
resource "azurerm_network_security_group" "out" {
  name                = "nsg-out"
  location            = "westeurope"
  resource_group_name = "rg-app"
}

resource "azurerm_network_security_rule" "deny_storage_we" {
  name                        = "deny-storage-we"
  priority                    = 100
  direction                   = "Outbound"
  access                      = "Deny"
  protocol                    = "*"
  source_port_range           = "*"
  destination_port_range      = "443"
  source_address_prefix       = "*"
  destination_address_prefix  = "Storage.WestEurope"
  resource_group_name         = "rg-app"
  network_security_group_name = azurerm_network_security_group.out.name
}

resource "azurerm_network_security_rule" "allow_storage_ne" {
  name                        = "allow-storage-ne"
  priority                    = 110
  direction                   = "Outbound"
  access                      = "Allow"
  protocol                    = "Tcp"
  source_port_range           = "*"
  destination_port_range      = "443"
  source_address_prefix       = "*"
  destination_address_prefix  = "Storage.NorthEurope"
  resource_group_name         = "rg-app"
  network_security_group_name = azurerm_network_security_group.out.name
}

resource "azurerm_network_security_rule" "deny_web_ports" {
  name                        = "deny-web-ports"
  priority                    = 120
  direction                   = "Outbound"
  access                      = "Deny"
  protocol                    = "Tcp"
  source_port_range           = "*"
  destination_port_ranges     = ["80", "443"]
  source_address_prefix       = "*"
  destination_address_prefix  = "Internet"
  resource_group_name         = "rg-app"
  network_security_group_name = azurerm_network_security_group.out.name
}

resource "azurerm_network_security_rule" "allow_web_alt" {
  name                        = "allow-web-alt"
  priority                    = 130
  direction                   = "Outbound"
  access                      = "Allow"
  protocol                    = "Tcp"
  source_port_range           = "*"
  destination_port_range      = "443-8443"
  source_address_prefix       = "*"
  destination_address_prefix  = "Internet"
  resource_group_name         = "rg-app"
  network_security_group_name = azurerm_network_security_group.out.name
}

resource "azurerm_network_security_rule" "allow_admin" {
  name                        = "allow-admin"
  priority                    = 140
  direction                   = "Outbound"
  access                      = "Allow"
  protocol                    = "Tcp"
  source_port_range           = "*"
  destination_port_range      = "22"
  source_address_prefix       = "*"
  destination_address_prefix  = var.admin_range
  resource_group_name         = "rg-app"
  network_security_group_name = azurerm_network_security_group.out.name
}

resource "azurerm_network_security_rule" "deny_ssh_out" {
  name                        = "deny-ssh-out"
  priority                    = 150
  direction                   = "Outbound"
  access                      = "Deny"
  protocol                    = "Tcp"
  source_port_range           = "*"
  destination_port_range      = "22"
  source_address_prefix       = "*"
  destination_address_prefix  = "Internet"
  resource_group_name         = "rg-app"
  network_security_group_name = azurerm_network_security_group.out.name
}
