variable "override_source" {
  type    = string
  default = ""
}

variable "office_sources" {
  type    = string
  default = "203.0.113.0/24,198.51.100.0/24"
}

locals {
  sources = concat(split(",", var.office_sources), ["10.0.0.0/8"])
  # Serialised for the audit tag, then read back.
  sources_tag = join(";", local.sources)
}

resource "azurerm_network_security_group" "nsg" {
  name                = "nsg-ssh"
  location            = "westeurope"
  resource_group_name = "rg-network"
  tags = {
    ssh_sources = local.sources_tag
  }

  security_rule {
    name                       = "allow-ssh"
    priority                   = 100
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "22"
    source_address_prefix      = coalesce(var.override_source, element(split(";", local.sources_tag), 0))
    destination_address_prefix = "VirtualNetwork"
  }
}
