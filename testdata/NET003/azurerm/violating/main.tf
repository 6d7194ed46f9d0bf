# Inline rules: an Allow of HTTPS from the internet behind a Deny of everything inbound.
resource "azurerm_network_security_group" "app" {
  name                = "nsg-app"
  location            = "westeurope"
  resource_group_name = "rg-app"

  security_rule {
    name                       = "deny-all-in"
    priority                   = 100
    direction                  = "Inbound"
    access                     = "Deny"
    protocol                   = "*"
    source_port_range          = "*"
    destination_port_range     = "*"
    source_address_prefix      = "*"
    destination_address_prefix = "*"
  }

  security_rule {
    name                       = "allow-https"
    priority                   = 200
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "443"
    source_address_prefix      = "Internet"
    destination_address_prefix = "*"
  }
}

# Standalone rules of one NSG: the load balancer's probe on 80 is denied by the earlier rule.
resource "azurerm_network_security_group" "web" {
  name                = "nsg-web"
  location            = "westeurope"
  resource_group_name = "rg-app"
}

resource "azurerm_network_security_rule" "deny_low_ports" {
  name                        = "deny-low-ports"
  priority                    = 120
  direction                   = "Inbound"
  access                      = "Deny"
  protocol                    = "Tcp"
  source_port_range           = "*"
  destination_port_range      = "0-1023"
  source_address_prefix       = "*"
  destination_address_prefix  = "VirtualNetwork"
  resource_group_name         = "rg-app"
  network_security_group_name = azurerm_network_security_group.web.name
}

resource "azurerm_network_security_rule" "allow_lb_probe" {
  name                        = "allow-lb-probe"
  priority                    = 130
  direction                   = "Inbound"
  access                      = "Allow"
  protocol                    = "Tcp"
  source_port_range           = "*"
  destination_port_range      = "80"
  source_address_prefix       = "AzureLoadBalancer"
  destination_address_prefix  = "VirtualNetwork"
  resource_group_name         = "rg-app"
  network_security_group_name = azurerm_network_security_group.web.name
}

# Outbound, plural fields: a Deny of two ranges behind an Allow of all of 10.0.0.0/8.
resource "azurerm_network_security_group" "data" {
  name                = "nsg-data"
  location            = "westeurope"
  resource_group_name = "rg-app"

  security_rule {
    name                       = "allow-internal"
    priority                   = 100
    direction                  = "Outbound"
    access                     = "Allow"
    protocol                   = "*"
    source_port_range          = "*"
    destination_port_ranges    = ["1433", "5432"]
    source_address_prefix      = "*"
    destination_address_prefix = "10.0.0.0/8"
  }

  security_rule {
    name                         = "deny-legacy-sql"
    priority                     = 300
    direction                    = "Outbound"
    access                       = "Deny"
    protocol                     = "Tcp"
    source_port_range            = "*"
    destination_port_range       = "1433"
    source_address_prefix        = "VirtualNetwork"
    destination_address_prefixes = ["10.1.0.0/16", "10.2.3.4"]
  }
}
