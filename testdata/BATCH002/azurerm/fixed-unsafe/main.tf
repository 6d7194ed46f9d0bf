resource "azurerm_batch_account" "allow" {
  name                = "batchallow"
  resource_group_name = "rg"
  location            = "westeurope"

  network_profile {
    account_access {
      default_action = "Deny"
    }
  }
}

resource "azurerm_batch_account" "wide_rule" {
  name                          = "batchwiderule"
  resource_group_name           = "rg"
  location                      = "westeurope"
  public_network_access_enabled = true

  network_profile {
    account_access {
      ip_rule {
        ip_range = "203.0.113.0/24"
      }
    }
    node_management_access {
      default_action = "Deny"
      ip_rule {
        ip_range = "0.0.0.0/0"
      }
    }
  }
}
