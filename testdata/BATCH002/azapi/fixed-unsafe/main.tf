resource "azapi_resource" "allow" {
  type      = "Microsoft.Batch/batchAccounts@2024-07-01"
  name      = "batchallow"
  location  = "westeurope"
  parent_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg"
  body = {
    properties = {
      publicNetworkAccess = "Enabled"
      networkProfile = {
        accountAccess        = { defaultAction = "Deny" }
        nodeManagementAccess = { defaultAction = "Deny", ipRules = [{ action = "Allow", value = "*" }] }
      }
    }
  }
}

resource "azapi_resource" "v1" {
  type      = "Microsoft.Batch/batchAccounts@2024-07-01"
  name      = "batchv1"
  location  = "westeurope"
  parent_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg"
  body = jsonencode({
    properties = {
      networkProfile = {
        accountAccess = { defaultAction = "Deny", ipRules = [{ action = "Allow", value = "0.0.0.0/0" }] }
      }
    }
  })
}
