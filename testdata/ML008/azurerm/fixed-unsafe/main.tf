resource "azurerm_machine_learning_compute_cluster" "ssh" {
  name                          = "cluster-ssh"
  location                      = "westeurope"
  vm_priority                   = "Dedicated"
  vm_size                       = "STANDARD_DS3_V2"
  machine_learning_workspace_id = azurerm_machine_learning_workspace.ws.id
  ssh_public_access_enabled     = false

  scale_settings {
    min_node_count = 0
    max_node_count = 2
  }

  ssh {
    admin_username = "azureuser"
    key_value      = "ssh-rsa AAAA"
  }
}

resource "azurerm_machine_learning_compute_instance" "ssh" {
  name                          = "instance-ssh"
  machine_learning_workspace_id = azurerm_machine_learning_workspace.ws.id
  virtual_machine_size          = "STANDARD_DS3_V2"

}
