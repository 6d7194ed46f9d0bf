resource "azurerm_batch_account" "acct" {
  name                          = "acct"
  resource_group_name           = "rg"
  location                      = "westeurope"
  public_network_access_enabled = false
  allowed_authentication_modes  = ["AAD"]
}

resource "azapi_update_resource" "open_it" {
  type        = "Microsoft.Batch/batchAccounts@2024-07-01"
  resource_id = azurerm_batch_account.acct.id
  body = {
    properties = {
      publicNetworkAccess = "Enabled"
    }
  }
}

# An update whose target is not in this module changes nothing here.
resource "azapi_update_resource" "elsewhere" {
  type        = "Microsoft.Batch/batchAccounts@2024-07-01"
  resource_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Batch/batchAccounts/other"
  body = {
    properties = {
      allowedAuthenticationModes = ["SharedKey"]
    }
  }
}
