variable "key_source" {
  type = string
}

resource "azapi_resource" "cmk" {
  type      = "Microsoft.Batch/batchAccounts@2024-07-01"
  name      = "batchcmk"
  location  = "westeurope"
  parent_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg"
  identity {
    type = "SystemAssigned"
  }
  body = {
    properties = {
      publicNetworkAccess = "Disabled"
      encryption = {
        keySource          = "Microsoft.KeyVault"
        keyVaultProperties = { keyIdentifier = "https://kv.vault.azure.net/keys/batch" }
      }
    }
  }
}

resource "azapi_resource" "from_variable" {
  type      = "Microsoft.Batch/batchAccounts@2024-07-01"
  name      = "batchfromvariable"
  location  = "westeurope"
  parent_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg"
  body = {
    properties = {
      publicNetworkAccess = "Disabled"
      encryption          = { keySource = var.key_source }
    }
  }
}
