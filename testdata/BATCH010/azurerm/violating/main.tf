resource "azurerm_batch_pool" "linux" {
  name                = "linux-pool"
  resource_group_name = "rg"
  account_name        = azurerm_batch_account.acct.name
  vm_size             = "STANDARD_D2S_V3"
  node_agent_sku_id   = "batch.node.ubuntu 22.04"

  storage_image_reference {
    publisher = "canonical"
    offer     = "0001-com-ubuntu-server-jammy"
    sku       = "22_04-lts"
    version   = "latest"
  }

  fixed_scale {
    target_dedicated_nodes = 1
  }

  network_configuration {
    endpoint_configuration {
      name                = "SSH"
      protocol            = "TCP"
      backend_port        = 22
      frontend_port_range = "4000-4100"
    }

    endpoint_configuration {
      name                = "ssh-alt"
      protocol            = "TCP"
      backend_port        = 3389
      frontend_port_range = "5000-5100"

      network_security_group_rules {
        priority              = 150
        access                = "Allow"
        source_address_prefix = "Internet"
        source_port_ranges    = ["*"]
      }
    }
  }
}

# The subnet's NSG lets SSH in from anywhere as well.
resource "azurerm_batch_pool" "in_open_subnet" {
  name                = "open-subnet-pool"
  resource_group_name = "rg"
  account_name        = azurerm_batch_account.acct.name
  vm_size             = "STANDARD_D2S_V3"
  node_agent_sku_id   = "batch.node.ubuntu 22.04"

  storage_image_reference {
    publisher = "canonical"
    offer     = "0001-com-ubuntu-server-jammy"
    sku       = "22_04-lts"
    version   = "latest"
  }

  network_configuration {
    subnet_id = azurerm_subnet.pool.id

    endpoint_configuration {
      name                = "SSH"
      protocol            = "TCP"
      backend_port        = 22
      frontend_port_range = "4000-4100"
    }
  }
}

resource "azurerm_virtual_network" "vnet" {
  name                = "vnet"
  location            = "westeurope"
  resource_group_name = "rg"
  address_space       = ["10.2.0.0/16"]
}

resource "azurerm_subnet" "pool" {
  name                 = "pool"
  resource_group_name  = "rg"
  virtual_network_name = azurerm_virtual_network.vnet.name
  address_prefixes     = ["10.2.0.0/24"]
}

resource "azurerm_network_security_group" "pool" {
  name                = "nsg-pool"
  location            = "westeurope"
  resource_group_name = "rg"

  security_rule {
    name                       = "ssh-any"
    priority                   = 100
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "22"
    source_address_prefix      = "*"
    destination_address_prefix = "10.2.0.0/24"
  }
}

resource "azurerm_subnet_network_security_group_association" "pool" {
  subnet_id                 = azurerm_subnet.pool.id
  network_security_group_id = azurerm_network_security_group.pool.id
}

# No endpoint rules; the subnet's NSG denies SSH from 0.0.0.0/0, which covers IPv4 only. The pool's
# public IP is IPv6.
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

resource "azurerm_subnet" "pools" {
  name                 = "pools"
  resource_group_name  = "rg"
  virtual_network_name = "vnet-dual"
  address_prefixes     = ["10.3.0.0/24"]
}

resource "azurerm_subnet_network_security_group_association" "pools" {
  subnet_id                 = azurerm_subnet.pools.id
  network_security_group_id = azurerm_network_security_group.v4_only.id
}

resource "azurerm_public_ip" "dual" {
  name                = "pip-dual-stack-ssh"
  location            = "westeurope"
  resource_group_name = "rg"
  allocation_method   = "Static"
  sku                 = "Standard"
  ip_version          = "IPv6"
}

resource "azurerm_batch_pool" "dual" {
  name                           = "dual-stack-ssh"
  resource_group_name            = "rg"
  account_name                   = azurerm_batch_account.acct.name
  vm_size                        = "STANDARD_D2S_V3"
  node_agent_sku_id              = "batch.node.ubuntu 22.04"
  target_node_communication_mode = "Simplified"

  storage_image_reference {
    publisher = "canonical"
    offer     = "0001-com-ubuntu-server-jammy"
    sku       = "22_04-lts"
    version   = "latest"
  }

  network_configuration {
    subnet_id                        = azurerm_subnet.pools.id
    public_address_provisioning_type = "UserManaged"
    public_ips                       = [azurerm_public_ip.dual.id]

    endpoint_configuration {
      name                = "ssh"
      protocol            = "TCP"
      backend_port        = 22
      frontend_port_range = "7000-7100"
    }
  }
}
