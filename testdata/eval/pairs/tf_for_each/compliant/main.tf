variable "ssh_rules" {
  type = map(object({
    priority = number
    source   = string
  }))
  default = {
    corp = { priority = 100, source = "10.0.0.0/8" }
  }
}

resource "azurerm_network_security_group" "nsg" {
  name                = "nsg-ssh"
  location            = "westeurope"
  resource_group_name = "rg-network"
}

resource "azurerm_network_security_rule" "ssh" {
  for_each                    = var.ssh_rules
  name                        = "allow-ssh-${each.key}"
  priority                    = each.value.priority
  direction                   = "Inbound"
  access                      = "Allow"
  protocol                    = "Tcp"
  source_port_range           = "*"
  destination_port_range      = "22"
  source_address_prefix       = each.value.source
  destination_address_prefix  = "VirtualNetwork"
  resource_group_name         = "rg-network"
  network_security_group_name = azurerm_network_security_group.nsg.name
}
