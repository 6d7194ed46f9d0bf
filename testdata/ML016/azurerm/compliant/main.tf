resource "azurerm_subnet" "serverless" {
  name                 = "serverless"
  resource_group_name  = "rg-ml"
  virtual_network_name = "vnet-ml"
  address_prefixes     = ["10.0.4.0/24"]
}

resource "azurerm_machine_learning_workspace" "explicit" {
  name                          = "ws-explicit"
  location                      = "westeurope"
  resource_group_name           = "rg-ml"
  application_insights_id       = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-ml/providers/Microsoft.Insights/components/ai"
  key_vault_id                  = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-ml/providers/Microsoft.KeyVault/vaults/kv"
  storage_account_id            = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-ml/providers/Microsoft.Storage/storageAccounts/st"
  public_network_access_enabled = false

  serverless_compute {
    subnet_id         = azurerm_subnet.serverless.id
    public_ip_enabled = false
  }

  identity {
    type = "SystemAssigned"
  }
}

# public_ip_enabled left out: the provider defaults it to false and sends
# serverlessComputeNoPublicIP = true.
resource "azurerm_machine_learning_workspace" "provider_default" {
  name                          = "ws-default"
  location                      = "westeurope"
  resource_group_name           = "rg-ml"
  application_insights_id       = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-ml/providers/Microsoft.Insights/components/ai"
  key_vault_id                  = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-ml/providers/Microsoft.KeyVault/vaults/kv"
  storage_account_id            = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-ml/providers/Microsoft.Storage/storageAccounts/st"
  public_network_access_enabled = false

  serverless_compute {
    subnet_id = azurerm_subnet.serverless.id
  }

  identity {
    type = "SystemAssigned"
  }
}

# No subnet: serverless compute runs in Azure's network.
resource "azurerm_machine_learning_workspace" "azure_network" {
  name                          = "ws-azure-network"
  location                      = "westeurope"
  resource_group_name           = "rg-ml"
  application_insights_id       = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-ml/providers/Microsoft.Insights/components/ai"
  key_vault_id                  = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-ml/providers/Microsoft.KeyVault/vaults/kv"
  storage_account_id            = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-ml/providers/Microsoft.Storage/storageAccounts/st"
  public_network_access_enabled = true

  serverless_compute {
    public_ip_enabled = true
  }

  identity {
    type = "SystemAssigned"
  }
}
