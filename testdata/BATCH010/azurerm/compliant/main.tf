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

      network_security_group_rules {
        priority              = 170
        access                = "Allow"
        source_address_prefix = "192.168.1.0/24"
      }

      network_security_group_rules {
        priority              = 175
        access                = "Deny"
        source_address_prefix = "*"
      }
    }
  }
}

resource "azurerm_batch_pool" "private" {
  name                = "private-pool"
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
    subnet_id                        = azurerm_subnet.batch.id
    public_address_provisioning_type = "NoPublicIPAddresses"
  }
}

# Implicit allow on the endpoint, but the subnet's NSG has no rule for port 22, so Azure's
# DenyAllInBound stops it.
resource "azurerm_batch_pool" "in_closed_subnet" {
  name                = "closed-subnet-pool"
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

resource "azurerm_subnet" "pool" {
  name                 = "pool"
  resource_group_name  = "rg"
  virtual_network_name = "vnet"
  address_prefixes     = ["10.2.0.0/24"]
}

resource "azurerm_network_security_group" "pool" {
  name                = "nsg-pool"
  location            = "westeurope"
  resource_group_name = "rg"
}

resource "azurerm_subnet_network_security_group_association" "pool" {
  subnet_id                 = azurerm_subnet.pool.id
  network_security_group_id = azurerm_network_security_group.pool.id
}

# No endpoint rules; the subnet's NSG denies SSH from 0.0.0.0/0, which covers IPv4 only. The pool's
# public IP is IPv4.
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
  name                = "pip-ipv4-only-ssh"
  location            = "westeurope"
  resource_group_name = "rg"
  allocation_method   = "Static"
  sku                 = "Standard"
  ip_version          = "IPv4"
}

resource "azurerm_batch_pool" "dual" {
  name                           = "ipv4-only-ssh"
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
