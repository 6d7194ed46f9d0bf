# Inline security_rule blocks and a standalone rule on the same NSG: the provider lets the two
# overwrite each other.
resource "azurerm_network_security_group" "mixed" {
  name                = "nsg-mixed"
  location            = "westeurope"
  resource_group_name = "rg-app"

  security_rule {
    name                       = "allow-https"
    priority                   = 100
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "443"
    source_address_prefix      = "10.0.0.0/8"
    destination_address_prefix = "*"
  }

  # A priority repeated within one direction.
  security_rule {
    name                       = "allow-http"
    priority                   = 100
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "80"
    source_address_prefix      = "10.0.0.0/8"
    destination_address_prefix = "*"
  }
}

resource "azurerm_network_security_rule" "extra" {
  name                        = "allow-dns"
  priority                    = 200
  direction                   = "Inbound"
  access                      = "Allow"
  protocol                    = "Udp"
  source_port_range           = "*"
  destination_port_range      = "53"
  source_address_prefix       = "10.0.0.0/8"
  destination_address_prefix  = "*"
  resource_group_name         = "rg-app"
  network_security_group_name = azurerm_network_security_group.mixed.name
}

resource "azurerm_network_security_group" "broken" {
  name                = "nsg-broken"
  location            = "westeurope"
  resource_group_name = "rg-app"

  # Both port forms, a service tag in the plural prefix field, a list in a singular field.
  security_rule {
    name                         = "mixed-forms"
    priority                     = 4097
    direction                    = "Outbound"
    access                       = "Allow"
    protocol                     = "Tcp"
    source_port_ranges           = ["1024-65535"]
    source_address_prefix        = "VirtualNetwork"
    destination_address_prefixes = ["AzureMonitor", "10.10.0.0/16"]
    destination_port_ranges      = ["80", "443"]
  }
}

# The attribute form with explicit nulls for required fields and an invalid protocol.
resource "azurerm_network_security_group" "nulls" {
  name                = "nsg-nulls"
  location            = "westeurope"
  resource_group_name = "rg-app"

  security_rule = [
    {
      name                                       = "nulls"
      priority                                   = null
      direction                                  = "Inbound"
      access                                     = "Deny"
      protocol                                   = "TCP/UDP"
      source_port_range                          = "*"
      source_port_ranges                         = []
      destination_port_range                     = null
      destination_port_ranges                    = []
      source_address_prefix                      = "*"
      source_address_prefixes                    = []
      destination_address_prefix                 = "*"
      destination_address_prefixes               = []
      source_application_security_group_ids      = []
      destination_application_security_group_ids = []
      description                                = ""
    },
  ]
}

# A standalone rule with an absent direction and a malformed port.
resource "azurerm_network_security_rule" "incomplete" {
  name                        = "incomplete"
  priority                    = 300
  access                      = "Deny"
  protocol                    = "*"
  source_port_range           = "*"
  destination_port_range      = "65536"
  source_address_prefix       = "*"
  destination_address_prefix  = "*"
  resource_group_name         = "rg-app"
  network_security_group_name = "nsg-managed-elsewhere"
}

# `Any` names every protocol in the portal and in network manager admin rules, not in an NSG
# rule: Azure rejects it, and the rule is not read as allowing SSH (no NET001).
resource "azurerm_network_security_group" "any" {
  name                = "nsg-any"
  location            = "westeurope"
  resource_group_name = "rg-app"
}

resource "azurerm_network_security_rule" "any_protocol" {
  name                        = "any-protocol"
  priority                    = 310
  direction                   = "Inbound"
  access                      = "Allow"
  protocol                    = "Any"
  source_port_range           = "*"
  destination_port_range      = "22"
  source_address_prefix       = "Internet"
  destination_address_prefix  = "*"
  resource_group_name         = "rg-app"
  network_security_group_name = azurerm_network_security_group.any.name
}
