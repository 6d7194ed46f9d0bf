resource "azurerm_network_security_group" "rdp" {
  name                = "nsg-rdp"
  location            = "westeurope"
  resource_group_name = "rg"

  security_rule {
    name                       = "rdp"
    priority                   = 300
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "*"
    source_port_range          = "*"
    destination_port_range     = "3389"
    source_address_prefix      = "VirtualNetwork"
    destination_address_prefix = "10.1.0.4"
  }
}

# Associated with a subnet whose id is built with format() from the virtual network's id.
resource "azurerm_virtual_network" "app" {
  name                = "vnet-app"
  location            = "westeurope"
  resource_group_name = "rg"
  address_space       = ["10.1.0.0/16"]

  subnet {
    name             = "jump"
    address_prefixes = ["10.1.2.0/24"]
  }
}

resource "azurerm_network_security_group" "jump" {
  name                = "nsg-jump"
  location            = "westeurope"
  resource_group_name = "rg"

  security_rule {
    name                       = "rdp"
    priority                   = 100
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "3389"
    source_address_prefix      = "VirtualNetwork"
    destination_address_prefix = "*"
  }
}

resource "azurerm_subnet_network_security_group_association" "jump" {
  subnet_id                 = format("%s/subnets/%s", azurerm_virtual_network.app.id, "jump")
  network_security_group_id = azurerm_network_security_group.jump.id
}

# The Deny of 0.0.0.0/0 covers IPv4 only: the scale set is also reachable over IPv6.
resource "azurerm_network_security_group" "v4_only" {
  name                = "nsg-deny-v4-only"
  location            = "westeurope"
  resource_group_name = "rg"

  security_rule {
    name                       = "deny-internet-v4"
    priority                   = 200
    direction                  = "Inbound"
    access                     = "Deny"
    protocol                   = "*"
    source_port_range          = "*"
    destination_port_range     = "3389"
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
    destination_port_range     = "3389"
    source_address_prefix      = "VirtualNetwork"
    destination_address_prefix = "*"
  }
}

resource "azurerm_windows_virtual_machine_scale_set" "app" {
  name                 = "vmss-app"
  resource_group_name  = "rg"
  location             = "westeurope"
  sku                  = "Standard_D2s_v3"
  instances            = 2
  admin_username       = "azureadmin"
  admin_password       = "P@ssw0rd-not-used-1"
  computer_name_prefix = "app"

  source_image_reference {
    publisher = "MicrosoftWindowsServer"
    offer     = "WindowsServer"
    sku       = "2022-Datacenter"
    version   = "latest"
  }

  os_disk {
    storage_account_type = "Standard_LRS"
    caching              = "ReadWrite"
  }

  network_interface {
    name                      = "nic"
    primary                   = true
    network_security_group_id = azurerm_network_security_group.v4_only.id

    ip_configuration {
      name      = "ipconfig-v4"
      primary   = true
      subnet_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet-dual/subnets/default"
    }

    ip_configuration {
      name      = "ipconfig-v6"
      version   = "IPv6"
      subnet_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet-dual/subnets/default"
    }
  }
}
