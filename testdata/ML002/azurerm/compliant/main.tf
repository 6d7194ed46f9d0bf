variable "public_network_access_enabled" {
  type = bool
}

resource "azurerm_key_vault" "kv" {
  name                = "kv-ml"
  location            = "westeurope"
  resource_group_name = "rg-ml"
  tenant_id           = "00000000-0000-0000-0000-000000000000"
  sku_name            = "standard"
}

resource "azurerm_container_registry" "acr" {
  name                = "acrml"
  location            = "westeurope"
  resource_group_name = "rg-ml"
  sku                 = "Premium"
}

resource "azurerm_machine_learning_workspace" "private" {
  name                          = "ws-private"
  location                      = "westeurope"
  resource_group_name           = "rg-ml"
  application_insights_id       = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-ml/providers/Microsoft.Insights/components/ai"
  key_vault_id                  = azurerm_key_vault.kv.id
  storage_account_id            = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-ml/providers/Microsoft.Storage/storageAccounts/st"
  container_registry_id         = azurerm_container_registry.acr.id
  public_network_access_enabled = false

  identity {
    type = "SystemAssigned"
  }
}

# Whether this workspace is private is not known: no result.
resource "azurerm_machine_learning_workspace" "unknown" {
  name                          = "ws-unknown"
  location                      = "westeurope"
  resource_group_name           = "rg-ml"
  application_insights_id       = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-ml/providers/Microsoft.Insights/components/ai"
  key_vault_id                  = azurerm_key_vault.kv.id
  storage_account_id            = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-ml/providers/Microsoft.Storage/storageAccounts/st"
  public_network_access_enabled = var.public_network_access_enabled

  identity {
    type = "SystemAssigned"
  }
}

# Public and without private endpoints: ML001's concern, not ML002's.
resource "azurerm_machine_learning_workspace" "public" {
  name                    = "ws-public"
  location                = "westeurope"
  resource_group_name     = "rg-ml"
  application_insights_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-ml/providers/Microsoft.Insights/components/ai"
  key_vault_id            = azurerm_key_vault.kv.id
  storage_account_id      = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-ml/providers/Microsoft.Storage/storageAccounts/st"

  identity {
    type = "SystemAssigned"
  }
}

resource "azurerm_private_endpoint" "ws" {
  name                = "pe-ws"
  location            = "westeurope"
  resource_group_name = "rg-ml"
  subnet_id           = azurerm_subnet.pe.id

  private_service_connection {
    name                           = "ws"
    private_connection_resource_id = azurerm_machine_learning_workspace.private.id
    subresource_names              = ["amlworkspace"]
    is_manual_connection           = false
  }
}

resource "azurerm_private_endpoint" "kv" {
  name                = "pe-kv"
  location            = "westeurope"
  resource_group_name = "rg-ml"
  subnet_id           = azurerm_subnet.pe.id

  private_service_connection {
    name                           = "kv"
    private_connection_resource_id = azurerm_key_vault.kv.id
    subresource_names              = ["vault"]
    is_manual_connection           = false
  }
}

resource "azurerm_private_endpoint" "acr" {
  name                = "pe-acr"
  location            = "westeurope"
  resource_group_name = "rg-ml"
  subnet_id           = azurerm_subnet.pe.id

  private_service_connection {
    name                           = "acr"
    private_connection_resource_id = azurerm_container_registry.acr.id
    subresource_names              = ["registry"]
    is_manual_connection           = false
  }
}

resource "azurerm_ai_foundry" "hub" {
  name                  = "hub"
  location              = "westeurope"
  resource_group_name   = "rg-ml"
  key_vault_id          = azurerm_key_vault.kv.id
  storage_account_id    = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-ml/providers/Microsoft.Storage/storageAccounts/st"
  container_registry_id = azurerm_container_registry.acr.id
  public_network_access = "Disabled"

  identity {
    type = "SystemAssigned"
  }
}

# A project uses its hub's registry and private endpoints: the hub is judged.
resource "azurerm_ai_foundry_project" "project" {
  name               = "hub-project"
  location           = "westeurope"
  ai_services_hub_id = azurerm_ai_foundry.hub.id
}

resource "azurerm_private_endpoint" "hub" {
  name                = "pe-hub"
  location            = "westeurope"
  resource_group_name = "rg-ml"
  subnet_id           = azurerm_subnet.pe.id

  private_service_connection {
    name                           = "hub"
    private_connection_resource_id = azurerm_ai_foundry.hub.id
    subresource_names              = ["amlworkspace"]
    is_manual_connection           = false
  }
}
