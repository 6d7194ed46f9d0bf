resource "azurerm_network_security_group" "rdp" {
  name                = "nsg-rdp"
  location            = "westeurope"
  resource_group_name = "rg"

  security_rule {
    name                       = "rdp-from-bastion"
    priority                   = 300
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "3389"
    source_address_prefixes    = ["10.0.250.0/26", "192.168.10.0/24"]
    destination_address_prefix = "*"
  }

  security_rule {
    name                       = "rdp-source-ports"
    priority                   = 310
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "1024-2048"
    destination_port_range     = "3389"
    source_address_prefix      = "*"
    destination_address_prefix = "*"
  }
}

# The Deny of 0.0.0.0/0 covers IPv4 only; the scale set behind it has no IPv6 configuration.
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
    source_address_prefix      = "*"
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
  }
}
