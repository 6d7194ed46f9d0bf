# ssh_public_access_enabled omitted: false in azurerm 4.0+, even without a subnet.
resource "azurerm_machine_learning_compute_cluster" "default" {
  name                          = "cluster-default"
  location                      = "westeurope"
  vm_priority                   = "Dedicated"
  vm_size                       = "STANDARD_DS3_V2"
  machine_learning_workspace_id = azurerm_machine_learning_workspace.ws.id

  scale_settings {
    min_node_count = 0
    max_node_count = 2
  }
}

resource "azurerm_machine_learning_compute_cluster" "disabled" {
  name                          = "cluster-disabled"
  location                      = "westeurope"
  vm_priority                   = "Dedicated"
  vm_size                       = "STANDARD_DS3_V2"
  machine_learning_workspace_id = azurerm_machine_learning_workspace.ws.id
  ssh_public_access_enabled     = false

  scale_settings {
    min_node_count = 0
    max_node_count = 2
  }
}

# An ssh block, but no public IP.
resource "azurerm_machine_learning_compute_instance" "private" {
  name                          = "instance-private"
  machine_learning_workspace_id = azurerm_machine_learning_workspace.ws.id
  virtual_machine_size          = "STANDARD_DS3_V2"
  subnet_resource_id            = azurerm_subnet.compute.id
  node_public_ip_enabled        = false

  ssh {
    public_key = "ssh-rsa AAAA"
  }
}

resource "azurerm_machine_learning_compute_instance" "no_ssh" {
  name                          = "instance-no-ssh"
  machine_learning_workspace_id = azurerm_machine_learning_workspace.ws.id
  virtual_machine_size          = "STANDARD_DS3_V2"
}
