variable "node_range" {
  type = string
}

# default_action defaults to Deny in azurerm.
resource "azurerm_batch_account" "restricted" {
  name                = "batchrestricted"
  resource_group_name = "rg"
  location            = "westeurope"

  network_profile {
    account_access {
      ip_rule {
        ip_range = "203.0.113.0/24"
      }
    }
    node_management_access {
      default_action = "Deny"
      ip_rule {
        ip_range = var.node_range
      }
    }
  }
}

# The profile has no effect while public access is off.
resource "azurerm_batch_account" "private" {
  name                          = "batchprivate"
  resource_group_name           = "rg"
  location                      = "westeurope"
  public_network_access_enabled = false

  network_profile {
    account_access {
      default_action = "Allow"
    }
  }
}

# No profile: BATCH001's case (D16).
resource "azurerm_batch_account" "no_profile" {
  name                = "batchnoprofile"
  resource_group_name = "rg"
  location            = "westeurope"
}
