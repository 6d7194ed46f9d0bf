variable "mode" {
  type = string
}

resource "azurerm_batch_account" "acct" {
  name                = "acct"
  resource_group_name = "rg"
  location            = "westeurope"
}

resource "azurerm_network_security_group" "mgmt" {
  name                = "mgmt"
  location            = "westeurope"
  resource_group_name = "rg"

  security_rule {
    name                       = "allow-batch-mgmt"
    priority                   = 100
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "29876-29877"
    source_address_prefix      = "BatchNodeManagement.westeurope"
    destination_address_prefix = "*"
  }

  security_rule {
    name                       = "deny-all-in"
    priority                   = 200
    direction                  = "Inbound"
    access                     = "Deny"
    protocol                   = "*"
    source_port_range          = "*"
    destination_port_range     = "*"
    source_address_prefix      = "*"
    destination_address_prefix = "*"
  }
}

resource "azurerm_subnet" "mgmt" {
  name                 = "mgmt"
  resource_group_name  = "rg"
  virtual_network_name = "vnet"
  address_prefixes     = ["10.0.1.0/24"]
}

resource "azurerm_subnet_network_security_group_association" "mgmt" {
  subnet_id                 = azurerm_subnet.mgmt.id
  network_security_group_id = azurerm_network_security_group.mgmt.id
}

resource "azurerm_network_security_group" "closed" {
  name                = "closed"
  location            = "westeurope"
  resource_group_name = "rg"

  security_rule {
    name                       = "deny-all-in"
    priority                   = 100
    direction                  = "Inbound"
    access                     = "Deny"
    protocol                   = "*"
    source_port_range          = "*"
    destination_port_range     = "*"
    source_address_prefix      = "*"
    destination_address_prefix = "*"
  }
}

resource "azurerm_subnet" "closed" {
  name                 = "closed"
  resource_group_name  = "rg"
  virtual_network_name = "vnet"
  address_prefixes     = ["10.0.2.0/24"]
}

resource "azurerm_subnet_network_security_group_association" "closed" {
  subnet_id                 = azurerm_subnet.closed.id
  network_security_group_id = azurerm_network_security_group.closed.id
}

resource "azurerm_batch_pool" "allowed" {
  name                = "allowed"
  resource_group_name = "rg"
  account_name        = azurerm_batch_account.acct.name
  vm_size             = "STANDARD_D2S_V3"
  node_agent_sku_id   = "batch.node.ubuntu 22.04"
  target_node_communication_mode = "Classic"

  storage_image_reference {
    publisher = "canonical"
    offer     = "0001-com-ubuntu-server-jammy"
    sku       = "22_04-lts"
    version   = "latest"
  }

  network_configuration {
    subnet_id                        = azurerm_subnet.mgmt.id
  }
}

resource "azurerm_batch_pool" "simplified" {
  name                = "simplified"
  resource_group_name = "rg"
  account_name        = azurerm_batch_account.acct.name
  vm_size             = "STANDARD_D2S_V3"
  node_agent_sku_id   = "batch.node.ubuntu 22.04"
  target_node_communication_mode = "Simplified"

  storage_image_reference {
    publisher = "canonical"
    offer     = "0001-com-ubuntu-server-jammy"
    sku       = "22_04-lts"
    version   = "latest"
  }

  network_configuration {
    subnet_id                        = azurerm_subnet.closed.id
  }
}

resource "azurerm_batch_pool" "no_public_ip" {
  name                = "no_public_ip"
  resource_group_name = "rg"
  account_name        = azurerm_batch_account.acct.name
  vm_size             = "STANDARD_D2S_V3"
  node_agent_sku_id   = "batch.node.ubuntu 22.04"
  target_node_communication_mode = "Classic"

  storage_image_reference {
    publisher = "canonical"
    offer     = "0001-com-ubuntu-server-jammy"
    sku       = "22_04-lts"
    version   = "latest"
  }

  network_configuration {
    subnet_id                        = azurerm_subnet.closed.id
    public_address_provisioning_type = "NoPublicIPAddresses"
  }
}

resource "azurerm_batch_pool" "mode_from_variable" {
  name                = "mode_from_variable"
  resource_group_name = "rg"
  account_name        = azurerm_batch_account.acct.name
  vm_size             = "STANDARD_D2S_V3"
  node_agent_sku_id   = "batch.node.ubuntu 22.04"
  target_node_communication_mode = var.mode

  storage_image_reference {
    publisher = "canonical"
    offer     = "0001-com-ubuntu-server-jammy"
    sku       = "22_04-lts"
    version   = "latest"
  }

  network_configuration {
    subnet_id                        = azurerm_subnet.closed.id
  }
}

# Default or absent: the simplified model since classic communication was retired, which
# needs no inbound management traffic.
resource "azurerm_batch_pool" "mode_absent" {
  name                = "mode_absent"
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
    subnet_id                        = azurerm_subnet.closed.id
  }
}

resource "azurerm_batch_pool" "default" {
  name                = "default"
  resource_group_name = "rg"
  account_name        = azurerm_batch_account.acct.name
  vm_size             = "STANDARD_D2S_V3"
  node_agent_sku_id   = "batch.node.ubuntu 22.04"
  target_node_communication_mode = "Default"

  storage_image_reference {
    publisher = "canonical"
    offer     = "0001-com-ubuntu-server-jammy"
    sku       = "22_04-lts"
    version   = "latest"
  }

  network_configuration {
    subnet_id                        = azurerm_subnet.closed.id
  }
}
