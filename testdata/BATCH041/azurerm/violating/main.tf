resource "azurerm_batch_account" "acct" {
  name                = "acct"
  resource_group_name = "rg"
  location            = "westeurope"
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
  address_prefixes     = ["10.0.1.0/24"]
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
    subnet_id                        = azurerm_subnet.closed.id
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
