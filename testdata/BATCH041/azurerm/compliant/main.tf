variable "location" {
  type = string
}

resource "azurerm_batch_account" "acct" {
  name                = "acct"
  resource_group_name = "rg"
  location            = "westeurope"
}

resource "azurerm_batch_account" "acct_pe" {
  name                = "acct_pe"
  resource_group_name = "rg"
  location            = "westeurope"
}

resource "azurerm_network_security_group" "allows" {
  name                = "allows"
  location            = "westeurope"
  resource_group_name = "rg"

  security_rule {
    name                       = "allow-batch-out"
    priority                   = 100
    direction                  = "Outbound"
    access                     = "Allow"
    protocol                   = "*"
    source_port_range          = "*"
    destination_port_range     = "443"
    source_address_prefix      = "*"
    destination_address_prefix = "BatchNodeManagement.westeurope"
  }

  security_rule {
    name                       = "allow-storage-out"
    priority                   = 110
    direction                  = "Outbound"
    access                     = "Allow"
    protocol                   = "*"
    source_port_range          = "*"
    destination_port_range     = "443"
    source_address_prefix      = "*"
    destination_address_prefix = "Storage.westeurope"
  }

  security_rule {
    name                       = "deny-internet-out"
    priority                   = 200
    direction                  = "Outbound"
    access                     = "Deny"
    protocol                   = "*"
    source_port_range          = "*"
    destination_port_range     = "*"
    source_address_prefix      = "*"
    destination_address_prefix = "Internet"
  }
}

resource "azurerm_subnet" "allows" {
  name                 = "allows"
  resource_group_name  = "rg"
  virtual_network_name = "vnet"
  address_prefixes     = ["10.0.1.0/24"]
}

resource "azurerm_subnet_network_security_group_association" "allows" {
  subnet_id                 = azurerm_subnet.allows.id
  network_security_group_id = azurerm_network_security_group.allows.id
}

resource "azurerm_network_security_group" "closed" {
  name                = "closed"
  location            = "westeurope"
  resource_group_name = "rg"

  security_rule {
    name                       = "deny-internet-out"
    priority                   = 100
    direction                  = "Outbound"
    access                     = "Deny"
    protocol                   = "*"
    source_port_range          = "*"
    destination_port_range     = "*"
    source_address_prefix      = "*"
    destination_address_prefix = "Internet"
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
    subnet_id                        = azurerm_subnet.allows.id
  }
}

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
    subnet_id                        = azurerm_subnet.allows.id
  }
}

resource "azurerm_batch_pool" "private" {
  name                = "private"
  resource_group_name = "rg"
  account_name        = azurerm_batch_account.acct_pe.name
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
    public_address_provisioning_type = "NoPublicIPAddresses"
  }
}

resource "azurerm_private_endpoint" "node_management" {
  name                = "pe-node-management"
  location            = "westeurope"
  resource_group_name = "rg"
  subnet_id           = azurerm_subnet.allows.id

  private_service_connection {
    name                           = "node-management"
    private_connection_resource_id = azurerm_batch_account.acct_pe.id
    subresource_names              = ["nodeManagement"]
    is_manual_connection           = false
  }
}

# Default or absent: the simplified model, which does not need Storage.<region>.
resource "azurerm_network_security_group" "bnm_only" {
  name                = "bnm_only"
  location            = "westeurope"
  resource_group_name = "rg"

  security_rule {
    name                       = "allow-batch-out"
    priority                   = 100
    direction                  = "Outbound"
    access                     = "Allow"
    protocol                   = "*"
    source_port_range          = "*"
    destination_port_range     = "443"
    source_address_prefix      = "*"
    destination_address_prefix = "BatchNodeManagement.westeurope"
  }

  security_rule {
    name                       = "deny-internet-out"
    priority                   = 200
    direction                  = "Outbound"
    access                     = "Deny"
    protocol                   = "*"
    source_port_range          = "*"
    destination_port_range     = "*"
    source_address_prefix      = "*"
    destination_address_prefix = "Internet"
  }
}

resource "azurerm_subnet" "bnm_only" {
  name                 = "bnm_only"
  resource_group_name  = "rg"
  virtual_network_name = "vnet"
  address_prefixes     = ["10.0.3.0/24"]
}

resource "azurerm_subnet_network_security_group_association" "bnm_only" {
  subnet_id                 = azurerm_subnet.bnm_only.id
  network_security_group_id = azurerm_network_security_group.bnm_only.id
}

resource "azurerm_batch_pool" "default_no_storage" {
  name                = "default_no_storage"
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
    subnet_id                        = azurerm_subnet.bnm_only.id
  }
}

resource "azurerm_batch_pool" "absent_no_storage" {
  name                = "absent_no_storage"
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
    subnet_id                        = azurerm_subnet.bnm_only.id
  }
}
