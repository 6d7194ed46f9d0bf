resource "azurerm_batch_account" "acct" {
  name                = "acct"
  resource_group_name = "rg"
  location            = "westeurope"
}

resource "azurerm_network_security_group" "batch" {
  name                = "batch"
  location            = "westeurope"
  resource_group_name = "rg"

  security_rule {
    name                       = "open-mgmt"
    priority                   = 100
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "29876-29877"
    source_address_prefix      = "*"
    destination_address_prefix = "*"
  }
}

resource "azurerm_subnet" "batch" {
  name                 = "batch"
  resource_group_name  = "rg"
  virtual_network_name = "vnet"
  address_prefixes     = ["10.0.1.0/24"]
}

resource "azurerm_subnet_network_security_group_association" "batch" {
  subnet_id                 = azurerm_subnet.batch.id
  network_security_group_id = azurerm_network_security_group.batch.id
}

# The mode is left out: the simplified model, which needs no inbound management traffic at all.
resource "azurerm_batch_pool" "pool" {
  name                = "pool"
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
    subnet_id = azurerm_subnet.batch.id
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

resource "azurerm_network_security_group" "training" {
  name                = "training"
  location            = "westeurope"
  resource_group_name = "rg"
}

resource "azurerm_network_security_rule" "open_aml" {
  name                        = "open-aml"
  priority                    = 110
  direction                   = "Inbound"
  access                      = "Allow"
  protocol                    = "Tcp"
  source_port_range           = "*"
  destination_port_range      = "44224"
  source_address_prefix       = "Internet"
  destination_address_prefix  = "*"
  resource_group_name         = "rg"
  network_security_group_name = azurerm_network_security_group.training.name
}

resource "azurerm_subnet" "training" {
  name                 = "training"
  resource_group_name  = "rg"
  virtual_network_name = "vnet"
  address_prefixes     = ["10.0.2.0/24"]
}

resource "azurerm_subnet_network_security_group_association" "training" {
  subnet_id                 = azurerm_subnet.training.id
  network_security_group_id = azurerm_network_security_group.training.id
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
