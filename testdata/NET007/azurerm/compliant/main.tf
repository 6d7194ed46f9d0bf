variable "priority" {
  type = number
}

variable "ports" {
  type = list(string)
}

# Inline rules only; the attribute form with "" and [] for the forms not in use.
resource "azurerm_network_security_group" "inline" {
  name                = "nsg-inline"
  location            = "westeurope"
  resource_group_name = "rg-app"

  security_rule = [
    {
      name                                       = "lowest"
      priority                                   = 100
      direction                                  = "Inbound"
      access                                     = "Allow"
      protocol                                   = "Tcp"
      source_port_range                          = "*"
      source_port_ranges                         = []
      destination_port_range                     = ""
      destination_port_ranges                    = ["80", "443"]
      source_address_prefix                      = ""
      source_address_prefixes                    = ["10.1.0.0/16", "10.2.0.0/16"]
      destination_address_prefix                 = "VirtualNetwork"
      destination_address_prefixes               = []
      source_application_security_group_ids      = []
      destination_application_security_group_ids = []
      description                                = "web from the branches"
    },
    {
      name                                       = "highest"
      priority                                   = 4096
      direction                                  = "Inbound"
      access                                     = "Deny"
      protocol                                   = "*"
      source_port_range                          = "*"
      source_port_ranges                         = []
      destination_port_range                     = "*"
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

# Standalone rules only: the same priority in both directions, application security groups
# instead of addresses, and values from variables.
resource "azurerm_network_security_group" "standalone" {
  name                = "nsg-standalone"
  location            = "westeurope"
  resource_group_name = "rg-app"
}

resource "azurerm_network_security_rule" "in_100" {
  name                                       = "web-to-db"
  priority                                   = 100
  direction                                  = "Inbound"
  access                                     = "Allow"
  protocol                                   = "Tcp"
  source_port_range                          = "*"
  destination_port_range                     = "5432"
  source_application_security_group_ids      = [azurerm_application_security_group.web.id]
  destination_application_security_group_ids = [azurerm_application_security_group.db.id]
  resource_group_name                        = "rg-app"
  network_security_group_name                = azurerm_network_security_group.standalone.name
}

resource "azurerm_network_security_rule" "out_100" {
  name                        = "to-storage"
  priority                    = 100
  direction                   = "Outbound"
  access                      = "Allow"
  protocol                    = "Tcp"
  source_port_range           = "*"
  destination_port_range      = "443"
  source_address_prefix       = "VirtualNetwork"
  destination_address_prefix  = "Storage.WestEurope"
  resource_group_name         = "rg-app"
  network_security_group_name = azurerm_network_security_group.standalone.name
}

resource "azurerm_network_security_rule" "from_variables" {
  name                        = "from-variables"
  priority                    = var.priority
  direction                   = "Inbound"
  access                      = "Allow"
  protocol                    = "Tcp"
  source_port_range           = "*"
  destination_port_ranges     = var.ports
  source_address_prefix       = "10.0.0.0/8"
  destination_address_prefix  = "*"
  resource_group_name         = "rg-app"
  network_security_group_name = azurerm_network_security_group.standalone.name
}

# Rules from a map not known before apply, each field optional: every field is then not known
# (not null), as Terraform has it.
variable "rules" {
  type = map(any)
}

resource "azurerm_network_security_rule" "from_a_map" {
  for_each                     = var.rules
  name                         = each.value.name
  priority                     = each.value.priority
  direction                    = each.value.direction
  access                       = each.value.access
  protocol                     = each.value.protocol
  source_port_range            = try(each.value.source_port_range, null)
  source_port_ranges           = try(each.value.source_port_ranges, null)
  destination_port_range       = try(each.value.destination_port_range, null)
  destination_port_ranges      = try(each.value.destination_port_ranges, null)
  source_address_prefix        = try(each.value.source_address_prefix, null)
  source_address_prefixes      = try(each.value.source_address_prefixes, null)
  destination_address_prefix   = try(each.value.destination_address_prefix, null)
  destination_address_prefixes = try(each.value.destination_address_prefixes, null)
  resource_group_name          = "rg-app"
  network_security_group_name  = azurerm_network_security_group.standalone.name
}

resource "azurerm_application_security_group" "web" {
  name                = "asg-web"
  location            = "westeurope"
  resource_group_name = "rg-app"
}

resource "azurerm_application_security_group" "db" {
  name                = "asg-db"
  location            = "westeurope"
  resource_group_name = "rg-app"
}
