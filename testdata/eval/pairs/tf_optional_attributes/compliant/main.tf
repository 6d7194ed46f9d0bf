# Rules given as objects whose optional attributes the callers leave out: Terraform fills them
# with the type's defaults, or with null.
variable "rules" {
  type = map(object({
    priority                = number
    destination_port_range  = string
    source_address_prefix   = optional(string, "*")
    source_port_range       = optional(string)
    source_port_ranges      = optional(set(string))
    destination_port_ranges = optional(set(string))
  }))
  default = {
    ssh = {
      priority               = 100
      destination_port_range = "22"
    }
  }
}

resource "azurerm_network_security_group" "nsg" {
  name                = "nsg-optional"
  location            = "westeurope"
  resource_group_name = "rg"
}

resource "azurerm_network_security_rule" "rule" {
  for_each                    = var.rules
  name                        = each.key
  priority                    = each.value.priority
  direction                   = "Inbound"
  access                      = "Allow"
  protocol                    = "Tcp"
  source_port_range           = each.value.source_port_ranges == null ? coalesce(each.value.source_port_range, "*") : null
  source_port_ranges          = each.value.source_port_ranges
  destination_port_range      = each.value.destination_port_range
  destination_port_ranges     = each.value.destination_port_ranges
  source_address_prefix       = each.value.source_address_prefix
  destination_address_prefix  = "*"
  resource_group_name         = "rg"
  network_security_group_name = azurerm_network_security_group.nsg.name
}
