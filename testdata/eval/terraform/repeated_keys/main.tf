# Object constructors that repeat a key: Terraform keeps the last item (hcl-edit alone refuses
# the file). The rule reads `*` for `ssh` and a private range for `https`.
variable "sources" {
  type = map(string)
}

locals {
  rules = {
    ssh   = { port = "22", source = "10.0.0.0/8" }
    https = { port = "443", source = var.sources.https }
    ssh   = { port = "22", source = var.sources.ssh }
  }
}

resource "azurerm_network_security_group" "nsg" {
  name                = "nsg"
  location            = "westeurope"
  resource_group_name = "rg"
}

resource "azurerm_network_security_rule" "rule" {
  for_each                    = local.rules
  name                        = each.key
  priority                    = each.key == "ssh" ? 100 : 110
  direction                   = "Inbound"
  access                      = "Allow"
  protocol                    = "Tcp"
  source_port_range           = "*"
  destination_port_range      = each.value.port
  source_address_prefix       = each.value.source
  destination_address_prefix  = "*"
  resource_group_name         = "rg"
  network_security_group_name = azurerm_network_security_group.nsg.name
}
