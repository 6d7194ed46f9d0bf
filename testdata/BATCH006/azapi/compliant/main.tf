variable "endpoint_ids" {
  type = list(string)
}

resource "azapi_resource" "acct" {
  type      = "Microsoft.Batch/batchAccounts@2024-07-01"
  name      = "batchacct"
  location  = "westeurope"
  parent_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg"
  body = {
    properties = {
      publicNetworkAccess = "Disabled"
    }
  }
}

resource "azapi_resource" "pe" {
  type      = "Microsoft.Network/privateEndpoints@2023-09-01"
  name      = "pe-batchacct"
  location  = "westeurope"
  parent_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg"
  body = {
    properties = {
      subnet = { id = azurerm_subnet.endpoints.id }
      privateLinkServiceConnections = [
        { name = "account", properties = { privateLinkServiceId = azapi_resource.acct.id, groupIds = ["batchAccount"] } },
        { name = "nodes", properties = { privateLinkServiceId = azapi_resource.acct.id, groupIds = ["nodeManagement"] } },
      ]
    }
  }
}

# Endpoints to targets that are not known (one per element of a list without a value): one of
# them might be this account's, so no result.
resource "azapi_resource" "account_other" {
  type      = "Microsoft.Batch/batchAccounts@2024-07-01"
  name      = "batchother"
  location  = "westeurope"
  parent_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg"
  body = {
    properties = {
      publicNetworkAccess = "Disabled"
    }
  }
}

resource "azapi_resource" "pe_unknown" {
  for_each  = toset(var.endpoint_ids)
  type      = "Microsoft.Network/privateEndpoints@2023-09-01"
  name      = "pe-${each.key}"
  location  = "westeurope"
  parent_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg"
  body = {
    properties = {
      subnet = { id = azurerm_subnet.endpoints.id }
      privateLinkServiceConnections = [
        { name = "account", properties = { privateLinkServiceId = each.value, groupIds = ["batchAccount"] } },
      ]
    }
  }
}
