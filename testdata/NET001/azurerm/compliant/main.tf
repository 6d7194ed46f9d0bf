variable "admin_cidr" {
  type = string
}

resource "azurerm_network_security_group" "restricted" {
  name                = "nsg-restricted"
  location            = "westeurope"
  resource_group_name = "rg"

  security_rule {
    name                       = "ssh-from-corp"
    priority                   = 100
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "22"
    source_address_prefix      = "10.0.0.0/8"
    destination_address_prefix = "*"
  }

  security_rule {
    name                       = "ssh-from-variable"
    priority                   = 110
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "22"
    source_address_prefix      = var.admin_cidr
    destination_address_prefix = "*"
  }
}

resource "azurerm_network_security_group" "deny_first" {
  name                = "nsg-deny-first"
  location            = "westeurope"
  resource_group_name = "rg"
}

resource "azurerm_network_security_rule" "deny_ssh" {
  name                        = "deny-ssh"
  priority                    = 100
  direction                   = "Inbound"
  access                      = "Deny"
  protocol                    = "*"
  source_port_range           = "*"
  destination_port_range      = "22"
  source_address_prefix       = "Internet"
  destination_address_prefix  = "*"
  resource_group_name         = "rg"
  network_security_group_name = azurerm_network_security_group.deny_first.name
}

resource "azurerm_network_security_rule" "allow_ssh" {
  name                        = "allow-ssh"
  priority                    = 4000
  direction                   = "Inbound"
  access                      = "Allow"
  protocol                    = "*"
  source_port_range           = "*"
  destination_port_range      = "22"
  source_address_prefix       = "*"
  destination_address_prefix  = "*"
  resource_group_name         = "rg"
  network_security_group_name = azurerm_network_security_group.deny_first.name
}

# The Deny of 0.0.0.0/0 covers IPv4 only; the network interface behind it has no IPv6 configuration.
resource "azurerm_network_security_group" "v4_only" {
  name                = "nsg-deny-v4-only"
  location            = "westeurope"
  resource_group_name = "rg-web"

  security_rule {
    name                       = "deny-internet-v4"
    priority                   = 200
    direction                  = "Inbound"
    access                     = "Deny"
    protocol                   = "*"
    source_port_range          = "*"
    destination_port_range     = "22"
    source_address_prefix      = "0.0.0.0/0"
    destination_address_prefix = "*"
  }

  security_rule {
    name                       = "allow-rest"
    priority                   = 300
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "22"
    source_address_prefix      = "*"
    destination_address_prefix = "*"
  }
}

resource "azurerm_network_interface" "vm" {
  name                = "nic-vm"
  location            = "westeurope"
  resource_group_name = "rg-web"

  ip_configuration {
    name                          = "ipconfig-v4"
    primary                       = true
    subnet_id                     = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-web/providers/Microsoft.Network/virtualNetworks/vnet-dual/subnets/default"
    private_ip_address_allocation = "Dynamic"
  }
}

resource "azurerm_network_interface_security_group_association" "vm" {
  network_interface_id      = azurerm_network_interface.vm.id
  network_security_group_id = azurerm_network_security_group.v4_only.id
}
