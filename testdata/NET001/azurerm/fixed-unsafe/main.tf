resource "azurerm_network_security_group" "web" {
  name                = "nsg-web"
  location            = "westeurope"
  resource_group_name = "rg-web"

  security_rule {
    name                       = "ssh-and-http"
    priority                   = 100
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_ranges    = ["22", "80"]
    source_address_prefix      = "VirtualNetwork"
    destination_address_prefix = "*"
  }
}

resource "azurerm_network_security_group" "jump" {
  name                = "nsg-jump"
  location            = "westeurope"
  resource_group_name = "rg-web"
}

# A standalone rule attached to the NSG above by reference.
resource "azurerm_network_security_rule" "jump_ssh" {
  name                        = "jump-ssh"
  priority                    = 110
  direction                   = "Inbound"
  access                      = "Allow"
  protocol                    = "*"
  source_port_range           = "*"
  destination_port_range      = "20-25"
  source_address_prefix       = "VirtualNetwork"
  destination_address_prefix  = "*"
  resource_group_name         = "rg-web"
  network_security_group_name = azurerm_network_security_group.jump.name
}

# A standalone rule whose NSG is managed elsewhere: judged on its own (D20).
resource "azurerm_network_security_rule" "shared_ssh" {
  name                        = "shared-ssh"
  priority                    = 120
  direction                   = "Inbound"
  access                      = "Allow"
  protocol                    = "Tcp"
  source_port_range           = "*"
  destination_port_range      = "22"
  source_address_prefix       = "VirtualNetwork"
  destination_address_prefix  = "VirtualNetwork"
  resource_group_name         = "rg-shared"
  network_security_group_name = "nsg-shared"
}

# An NSG per tier, associated with the subnet whose id is built from the virtual network's id:
# the association resolves, so the NSG is judged as associated.
resource "azurerm_virtual_network" "app" {
  name                = "vnet-app"
  location            = "westeurope"
  resource_group_name = "rg-web"
  address_space       = ["10.1.0.0/16"]

  subnet {
    name             = "frontend"
    address_prefixes = ["10.1.1.0/24"]
  }
}

resource "azurerm_network_security_group" "tier" {
  for_each            = toset(["frontend"])
  name                = "nsg-${each.key}"
  location            = "westeurope"
  resource_group_name = "rg-web"

  security_rule {
    name                       = "ssh"
    priority                   = 100
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "22"
    source_address_prefix      = "VirtualNetwork"
    destination_address_prefix = "*"
  }
}

resource "azurerm_subnet_network_security_group_association" "tier" {
  for_each                  = toset(["frontend"])
  subnet_id                 = "${azurerm_virtual_network.app.id}/subnets/${each.key}"
  network_security_group_id = azurerm_network_security_group.tier[each.key].id
}

# The Deny of 0.0.0.0/0 covers IPv4 only: this network interface is also reachable over IPv6.
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
    source_address_prefix      = "VirtualNetwork"
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

  ip_configuration {
    name                          = "ipconfig-v6"
    subnet_id                     = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-web/providers/Microsoft.Network/virtualNetworks/vnet-dual/subnets/default"
    private_ip_address_allocation = "Dynamic"
    private_ip_address_version    = "IPv6"
  }
}

resource "azurerm_network_interface_security_group_association" "vm" {
  network_interface_id      = azurerm_network_interface.vm.id
  network_security_group_id = azurerm_network_security_group.v4_only.id
}
