resource "azurerm_machine_learning_compute_cluster" "explicit" {
  name                          = "cluster-local-auth"
  location                      = "westeurope"
  vm_priority                   = "Dedicated"
  vm_size                       = "STANDARD_DS3_V2"
  machine_learning_workspace_id = azurerm_machine_learning_workspace.ws.id
  local_auth_enabled            = false

  scale_settings {
    min_node_count = 0
    max_node_count = 2
  }
}

resource "azurerm_machine_learning_compute_instance" "default" {
  name                          = "instance-default"
  machine_learning_workspace_id = azurerm_machine_learning_workspace.ws.id
  virtual_machine_size          = "STANDARD_DS3_V2"
  local_auth_enabled            = false
}
