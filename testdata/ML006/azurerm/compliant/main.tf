variable "subnet_id" {
  type = string
}

resource "azurerm_machine_learning_workspace" "ws" {
  name                          = "ws"
  location                      = "westeurope"
  resource_group_name           = "rg-ml"
  application_insights_id       = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-ml/providers/Microsoft.Insights/components/ai"
  key_vault_id                  = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-ml/providers/Microsoft.KeyVault/vaults/kv"
  storage_account_id            = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-ml/providers/Microsoft.Storage/storageAccounts/st"
  public_network_access_enabled = false

  identity {
    type = "SystemAssigned"
  }
}

resource "azurerm_machine_learning_workspace" "managed" {
  name                          = "ws-managed"
  location                      = "westeurope"
  resource_group_name           = "rg-ml"
  application_insights_id       = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-ml/providers/Microsoft.Insights/components/ai"
  key_vault_id                  = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-ml/providers/Microsoft.KeyVault/vaults/kv"
  storage_account_id            = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-ml/providers/Microsoft.Storage/storageAccounts/st"
  public_network_access_enabled = false

  managed_network {
    isolation_mode = "AllowOnlyApprovedOutbound"
  }

  identity {
    type = "SystemAssigned"
  }
}

resource "azurerm_machine_learning_compute_cluster" "cluster" {
  name                          = "cluster"
  location                      = "westeurope"
  vm_priority                   = "Dedicated"
  vm_size                       = "STANDARD_DS3_V2"
  machine_learning_workspace_id = azurerm_machine_learning_workspace.ws.id
  subnet_resource_id            = azurerm_subnet.compute.id

  scale_settings {
    min_node_count = 0
    max_node_count = 2
  }
}

# Subnet from a variable without a value: a subnet is set, so no result.
resource "azurerm_machine_learning_compute_instance" "instance" {
  name                          = "instance"
  machine_learning_workspace_id = azurerm_machine_learning_workspace.ws.id
  virtual_machine_size          = "STANDARD_DS3_V2"
  subnet_resource_id            = var.subnet_id
}

# In a workspace with a managed network.
resource "azurerm_machine_learning_compute_instance" "managed" {
  name                          = "managed"
  machine_learning_workspace_id = azurerm_machine_learning_workspace.managed.id
  virtual_machine_size          = "STANDARD_DS3_V2"
}

# Workspace outside this module.
resource "azurerm_machine_learning_compute_instance" "elsewhere" {
  name                          = "elsewhere"
  machine_learning_workspace_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-ml/providers/Microsoft.MachineLearningServices/workspaces/ws-shared"
  virtual_machine_size          = "STANDARD_DS3_V2"
}
