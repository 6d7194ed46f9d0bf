# NSG rules generated from the product of ports and sources, and a prefix list built with
# formatlist: the rule that opens SSH to the internet is found inside them.
variable "admin_ports" {
  default = [22, 443]
}

variable "sources" {
  default = ["Internet", "VirtualNetwork"]
}

variable "office_ips" {
  default = ["203.0.113.10", "203.0.113.11"]
}

locals {
  pairs = {
    for i, p in setproduct(var.admin_ports, var.sources) :
    "${p[0]}-${p[1]}" => { port = p[0], source = p[1], priority = 100 + i }
  }
}

resource "azurerm_network_security_group" "web" {
  name                = "web"
  location            = "westeurope"
  resource_group_name = "rg"
}

resource "azurerm_network_security_rule" "generated" {
  for_each                    = local.pairs
  name                        = "allow-${each.key}"
  priority                    = each.value.priority
  direction                   = "Inbound"
  access                      = "Allow"
  protocol                    = "Tcp"
  source_port_range           = "*"
  destination_port_ranges     = formatlist("%d", [each.value.port])
  source_address_prefix       = each.value.source
  destination_address_prefix  = "*"
  resource_group_name         = "rg"
  network_security_group_name = azurerm_network_security_group.web.name
}

resource "azurerm_network_security_group" "office" {
  name                = "office"
  location            = "westeurope"
  resource_group_name = "rg"

  security_rule {
    name                       = "rdp-from-office"
    priority                   = 100
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "3389"
    source_address_prefixes    = formatlist("%s/32", var.office_ips)
    destination_address_prefix = "*"
  }
}

# The Bastion subnet is the second of the allocation: 10.0.1.0/27, smaller than Bastion's /26.
locals {
  subnets = cidrsubnets("10.0.0.0/16", 8, 11)
}

resource "azurerm_virtual_network" "vnet" {
  name                = "vnet"
  location            = "westeurope"
  resource_group_name = "rg"
  address_space       = ["10.0.0.0/16"]
}

resource "azurerm_subnet" "bastion" {
  name                 = "AzureBastionSubnet"
  resource_group_name  = "rg"
  virtual_network_name = azurerm_virtual_network.vnet.name
  address_prefixes     = [local.subnets[1]]
}

resource "azurerm_public_ip" "bastion" {
  name                = "bastion"
  location            = "westeurope"
  resource_group_name = "rg"
  allocation_method   = "Static"
  sku                 = "Standard"
}

resource "azurerm_bastion_host" "bastion" {
  name                = "bastion"
  location            = "westeurope"
  resource_group_name = "rg"

  ip_configuration {
    name                 = "ip"
    subnet_id            = azurerm_subnet.bastion.id
    public_ip_address_id = azurerm_public_ip.bastion.id
  }
}
