# A module that writes its blocks only when its caller asks for them: whether each `dynamic`
# block exists, and what it holds, is not known here, so only the known block is reported.
variable "settings" {
  type = any
}

resource "azurerm_machine_learning_compute_instance" "optional_ssh" {
  name                          = "instance"
  machine_learning_workspace_id = "/subscriptions/0/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/ws"
  virtual_machine_size          = "STANDARD_DS3_V2"
  local_auth_enabled            = false
  node_public_ip_enabled        = true

  dynamic "ssh" {
    for_each = try(var.settings.ssh, null) != null ? [var.settings.ssh] : []
    content {
      public_key = ssh.value.public_key
    }
  }
}

resource "azurerm_machine_learning_compute_instance" "known_ssh" {
  name                          = "instance2"
  machine_learning_workspace_id = "/subscriptions/0/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/ws"
  virtual_machine_size          = "STANDARD_DS3_V2"
  local_auth_enabled            = false
  node_public_ip_enabled        = true

  dynamic "ssh" {
    for_each = ["ssh-rsa AAAA"]
    content {
      public_key = ssh.value
    }
  }
}

resource "azurerm_network_security_group" "nsg" {
  name                = "nsg"
  location            = "westeurope"
  resource_group_name = "rg"

  dynamic "security_rule" {
    for_each = var.settings.open_ssh ? [1] : []
    content {
      name                       = "ssh"
      priority                   = 100
      direction                  = "Inbound"
      access                     = "Allow"
      protocol                   = "Tcp"
      source_port_range          = "*"
      destination_port_range     = "22"
      source_address_prefix      = "*"
      destination_address_prefix = "*"
    }
  }
}
