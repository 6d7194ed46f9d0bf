# Override files (override.tf, *_override.tf, *_override.tf.json) are merged into these blocks
# as Terraform merges them: nothing here is reported as written.

variable "admin_source" {
  default = "10.0.0.0/8"
}

locals {
  web_source = "10.1.0.0/16"
}

# The override disables public access and Shared Key.
resource "azurerm_batch_account" "acct" {
  name                          = "acct"
  resource_group_name           = "rg"
  location                      = "westeurope"
  public_network_access_enabled = true
}

resource "azurerm_private_endpoint" "acct" {
  name                = "pe"
  location            = "westeurope"
  resource_group_name = "rg"
  subnet_id           = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/pe"
  private_service_connection {
    name                           = "acct"
    private_connection_resource_id = azurerm_batch_account.acct.id
    subresource_names              = ["batchAccount"]
    is_manual_connection           = false
  }
}

# The override replaces both rules with one that allows HTTPS.
resource "azurerm_network_security_group" "replaced" {
  name                = "replaced"
  location            = "westeurope"
  resource_group_name = "rg"
  security_rule {
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
  security_rule {
    name                       = "rdp"
    priority                   = 110
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "3389"
    source_address_prefix      = "*"
    destination_address_prefix = "*"
  }
}

# The override opens the variable and the local these rules read.
resource "azurerm_network_security_group" "opened" {
  name                = "opened"
  location            = "westeurope"
  resource_group_name = "rg"
  security_rule {
    name                       = "ssh"
    priority                   = 100
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "22"
    source_address_prefix      = var.admin_source
    destination_address_prefix = "*"
  }
  security_rule {
    name                       = "rdp"
    priority                   = 110
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "3389"
    source_address_prefix      = local.web_source
    destination_address_prefix = "*"
  }
}

# The override removes it (`count = 0`).
resource "azurerm_network_security_group" "removed" {
  name                = "removed"
  location            = "westeurope"
  resource_group_name = "rg"
  security_rule {
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
