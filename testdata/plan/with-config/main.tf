# The configuration the plan beside it was made from, with
# `terraform plan -var ssh_source=Internet -var public=true -out tfplan`
# and `terraform show -json tfplan > plan.json`: the defaults here are safe, the plan's values
# are not, and the findings are reported here, on the attributes that read them.
variable "ssh_source" {
  type    = string
  default = "10.0.0.0/8"
}

variable "public" {
  type    = bool
  default = false
}

resource "azurerm_resource_group" "rg" {
  name     = "rg-batch"
  location = "westeurope"
}

resource "azurerm_network_security_group" "nodes" {
  name                = "nsg-nodes"
  location            = azurerm_resource_group.rg.location
  resource_group_name = azurerm_resource_group.rg.name

  security_rule {
    name                       = "ssh"
    priority                   = 100
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "22"
    source_address_prefix      = var.ssh_source
    destination_address_prefix = "*"
  }
}

resource "azurerm_batch_account" "acct" {
  name                          = "batchacct"
  location                      = azurerm_resource_group.rg.location
  resource_group_name           = azurerm_resource_group.rg.name
  public_network_access_enabled = var.public
  allowed_authentication_modes  = ["AAD"]
}
