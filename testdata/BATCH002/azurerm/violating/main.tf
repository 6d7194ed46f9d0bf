resource "azurerm_batch_account" "allow" {
  name                = "batchallow"
  resource_group_name = "rg"
  location            = "westeurope"

  network_profile {
    account_access {
      default_action = "Allow"
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

# IP rules generated from a list: the finding is at the rule's ip_range, with the list item
# that opens the profile as a related location.
locals {
  allowed_ranges = ["203.0.113.0/24", "*"]
}

resource "azurerm_batch_account" "generated" {
  name                          = "batchgenerated"
  resource_group_name           = "rg"
  location                      = "westeurope"
  public_network_access_enabled = true

  network_profile {
    account_access {
      default_action = "Deny"
      dynamic "ip_rule" {
        for_each = local.allowed_ranges
        content {
          ip_range = ip_rule.value
        }
      }
    }
  }
}
