resource "azurerm_batch_account" "acct" {
  name                = "acct"
  resource_group_name = "rg"
  location            = "westeurope"
}

resource "azurerm_network_security_group" "training" {
  name                = "training"
  location            = "westeurope"
  resource_group_name = "rg"

  security_rule {
    name                       = "BatchNodeManagement"
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
    name                       = "AzureMachineLearning"
    priority                   = 110
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "44224"
    source_address_prefix      = "AzureMachineLearning"
    destination_address_prefix = "*"
  }

  # Port 443 from anywhere is not a management port.
  security_rule {
    name                       = "https"
    priority                   = 120
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "443"
    source_address_prefix      = "*"
    destination_address_prefix = "*"
  }
}

resource "azurerm_subnet" "training" {
  name                 = "training"
  resource_group_name  = "rg"
  virtual_network_name = "vnet"
  address_prefixes     = ["10.0.1.0/24"]
}

resource "azurerm_subnet_network_security_group_association" "training" {
  subnet_id                 = azurerm_subnet.training.id
  network_security_group_id = azurerm_network_security_group.training.id
}

resource "azurerm_batch_pool" "default" {
  name                           = "default"
  resource_group_name            = "rg"
  account_name                   = azurerm_batch_account.acct.name
  vm_size                        = "STANDARD_D2S_V3"
  node_agent_sku_id              = "batch.node.ubuntu 22.04"
  target_node_communication_mode = "Default"

  storage_image_reference {
    publisher = "canonical"
    offer     = "0001-com-ubuntu-server-jammy"
    sku       = "22_04-lts"
    version   = "latest"
  }

  network_configuration {
    subnet_id = azurerm_subnet.training.id
  }
}

resource "azurerm_batch_pool" "classic" {
  name                           = "classic"
  resource_group_name            = "rg"
  account_name                   = azurerm_batch_account.acct.name
  vm_size                        = "STANDARD_D2S_V3"
  node_agent_sku_id              = "batch.node.ubuntu 22.04"
  target_node_communication_mode = "Classic"

  storage_image_reference {
    publisher = "canonical"
    offer     = "0001-com-ubuntu-server-jammy"
    sku       = "22_04-lts"
    version   = "latest"
  }

  network_configuration {
    subnet_id = azurerm_subnet.training.id
  }
}

resource "azurerm_machine_learning_workspace" "ws" {
  name                    = "ws"
  location                = "westeurope"
  resource_group_name     = "rg"
  application_insights_id = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Insights/components/ai"
  key_vault_id            = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv"
  storage_account_id      = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st"

  identity {
    type = "SystemAssigned"
  }
}

resource "azurerm_machine_learning_compute_cluster" "cluster" {
  name                          = "cluster"
  location                      = "westeurope"
  machine_learning_workspace_id = azurerm_machine_learning_workspace.ws.id
  vm_priority                   = "Dedicated"
  vm_size                       = "STANDARD_DS2_V2"
  subnet_resource_id            = azurerm_subnet.training.id

  scale_settings {
    min_node_count                       = 0
    max_node_count                       = 2
    scale_down_nodes_after_idle_duration = "PT15M"
  }

  identity {
    type = "SystemAssigned"
  }
}

resource "azurerm_machine_learning_compute_instance" "instance" {
  name                          = "instance"
  machine_learning_workspace_id = azurerm_machine_learning_workspace.ws.id
  virtual_machine_size          = "STANDARD_DS2_V2"
  subnet_resource_id            = azurerm_subnet.training.id
}
