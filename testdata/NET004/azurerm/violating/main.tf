resource "azurerm_public_ip" "lb" {
  name                = "pip-lb"
  location            = "westeurope"
  resource_group_name = "rg"
  allocation_method   = "Static"
}

# Standard (the default): closed unless an NSG allows the traffic, which the subnet's NSG does.
resource "azurerm_lb" "app" {
  name                = "lb-app"
  location            = "westeurope"
  resource_group_name = "rg"

  frontend_ip_configuration {
    name                 = "PublicIPAddress"
    public_ip_address_id = azurerm_public_ip.lb.id
  }
}

resource "azurerm_lb_nat_pool" "rdp" {
  name                           = "rdp"
  resource_group_name            = "rg"
  loadbalancer_id                = azurerm_lb.app.id
  protocol                       = "Tcp"
  frontend_port_start            = 50000
  frontend_port_end              = 50119
  backend_port                   = 3389
  frontend_ip_configuration_name = "PublicIPAddress"
}

resource "azurerm_windows_virtual_machine_scale_set" "app" {
  name                 = "vmss-app"
  resource_group_name  = "rg"
  location             = "westeurope"
  sku                  = "Standard_D2s_v3"
  instances            = 2
  admin_username       = "azureadmin"
  admin_password       = var.admin_password
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
    name    = "nic"
    primary = true

    ip_configuration {
      name                                = "internal"
      primary                             = true
      subnet_id                           = azurerm_subnet.app.id
      load_balancer_inbound_nat_rules_ids = [azurerm_lb_nat_pool.rdp.id]
    }
  }
}

resource "azurerm_subnet" "app" {
  name                 = "app"
  resource_group_name  = "rg"
  virtual_network_name = "vnet"
  address_prefixes     = ["10.0.1.0/24"]
}

resource "azurerm_network_security_group" "app" {
  name                = "nsg-app"
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
    source_address_prefix      = "Internet"
    destination_address_prefix = "*"
  }
}

resource "azurerm_subnet_network_security_group_association" "app" {
  subnet_id                 = azurerm_subnet.app.id
  network_security_group_id = azurerm_network_security_group.app.id
}

variable "admin_password" {
  type      = string
  sensitive = true
}

# The Deny of 0.0.0.0/0 covers IPv4 only: the scale set is also reachable over IPv6.
resource "azurerm_lb" "dual" {
  name                = "lb-dual"
  location            = "westeurope"
  resource_group_name = "rg"

  frontend_ip_configuration {
    name                 = "PublicIPAddress"
    public_ip_address_id = azurerm_public_ip.lb.id
  }
}

resource "azurerm_lb_nat_pool" "ssh" {
  name                           = "ssh"
  resource_group_name            = "rg"
  loadbalancer_id                = azurerm_lb.dual.id
  protocol                       = "Tcp"
  frontend_port_start            = 51000
  frontend_port_end              = 51119
  backend_port                   = 22
  frontend_ip_configuration_name = "PublicIPAddress"
}

resource "azurerm_subnet" "dual" {
  name                 = "dual"
  resource_group_name  = "rg"
  virtual_network_name = "vnet-dual"
  address_prefixes     = ["10.2.0.0/24", "fd00:db8:deca::/64"]
}

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

resource "azurerm_linux_virtual_machine_scale_set" "dual" {
  name                = "vmss-dual"
  resource_group_name = "rg"
  location            = "westeurope"
  sku                 = "Standard_D2s_v3"
  instances           = 2
  admin_username      = "azureuser"

  admin_ssh_key {
    username   = "azureuser"
    public_key = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC0 not-a-real-key"
  }

  source_image_reference {
    publisher = "Canonical"
    offer     = "0001-com-ubuntu-server-jammy"
    sku       = "22_04-lts"
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
      name                                = "ipconfig-v4"
      primary                             = true
      subnet_id                           = azurerm_subnet.dual.id
      load_balancer_inbound_nat_rules_ids = [azurerm_lb_nat_pool.ssh.id]
    }

    ip_configuration {
      name      = "ipconfig-v6"
      version   = "IPv6"
      subnet_id = azurerm_subnet.dual.id
    }
  }
}

# A NAT rule to one VM whose NIC NSG allows SSH from the internet only to the VM's own address:
# the address is in the subnet, so the VM is exposed.
resource "azurerm_lb_nat_rule" "ssh_vm" {
  name                           = "ssh-vm"
  resource_group_name            = "rg"
  loadbalancer_id                = azurerm_lb.app.id
  protocol                       = "Tcp"
  frontend_port                  = 2222
  backend_port                   = 22
  frontend_ip_configuration_name = "PublicIPAddress"
}

resource "azurerm_subnet" "vm" {
  name                 = "vm"
  resource_group_name  = "rg"
  virtual_network_name = "vnet"
  address_prefixes     = ["10.3.0.0/24"]
}

resource "azurerm_network_security_group" "vm" {
  name                = "nsg-vm"
  location            = "westeurope"
  resource_group_name = "rg"

  security_rule {
    name                       = "ssh-to-vm"
    priority                   = 100
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "22"
    source_address_prefix      = "*"
    destination_address_prefix = "10.3.0.4"
  }
}

resource "azurerm_network_interface" "vm" {
  name                = "nic-vm"
  location            = "westeurope"
  resource_group_name = "rg"

  ip_configuration {
    name                          = "internal"
    subnet_id                     = azurerm_subnet.vm.id
    private_ip_address_allocation = "Static"
    private_ip_address            = "10.3.0.4"
  }
}

resource "azurerm_network_interface_security_group_association" "vm" {
  network_interface_id      = azurerm_network_interface.vm.id
  network_security_group_id = azurerm_network_security_group.vm.id
}

resource "azurerm_network_interface_nat_rule_association" "vm" {
  network_interface_id  = azurerm_network_interface.vm.id
  ip_configuration_name = "internal"
  nat_rule_id           = azurerm_lb_nat_rule.ssh_vm.id
}
