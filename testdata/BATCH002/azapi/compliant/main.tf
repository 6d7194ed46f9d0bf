variable "account_action" {
  type = string
}

resource "azapi_resource" "restricted" {
  type      = "Microsoft.Batch/batchAccounts@2024-07-01"
  name      = "batchrestricted"
  location  = "westeurope"
  parent_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg"
  body = {
    properties = {
      publicNetworkAccess = "Enabled"
      networkProfile = {
        accountAccess        = { defaultAction = "Deny", ipRules = [{ action = "Allow", value = "203.0.113.0/24" }] }
        nodeManagementAccess = { defaultAction = var.account_action }
      }
    }
  }
}

resource "azapi_resource" "perimeter" {
  type      = "Microsoft.Batch/batchAccounts@2024-07-01"
  name      = "batchperimeter"
  location  = "westeurope"
  parent_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg"
  body = {
    properties = {
      publicNetworkAccess = "SecuredByPerimeter"
      networkProfile      = { accountAccess = { defaultAction = "Allow" } }
    }
  }
}
