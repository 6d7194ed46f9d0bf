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
  address_prefixes     = ["10.0.1.0/24"]
}

resource "azurerm_subnet_network_security_group_association" "closed" {
  subnet_id                 = azurerm_subnet.closed.id
  network_security_group_id = azurerm_network_security_group.closed.id
}

resource "azurerm_network_security_group" "empty" {
  name                = "empty"
  location            = "westeurope"
  resource_group_name = "rg"

}

resource "azurerm_subnet" "defaults" {
  name                 = "defaults"
  resource_group_name  = "rg"
  virtual_network_name = "vnet"
  address_prefixes     = ["10.0.2.0/24"]
}

resource "azurerm_subnet_network_security_group_association" "defaults" {
  subnet_id                 = azurerm_subnet.defaults.id
  network_security_group_id = azurerm_network_security_group.empty.id
}

resource "azurerm_batch_pool" "classic" {
  name                = "classic"
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
  }
}

resource "azurerm_batch_pool" "classic_defaults" {
  name                = "classic_defaults"
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
    subnet_id                        = azurerm_subnet.defaults.id
    public_address_provisioning_type = "BatchManaged"
  }
}
