# A private AI Foundry hub with its dependencies and their private endpoints, a project of that
# hub, and a compute instance of the project. The hub's own endpoint is created only when
# var.hub_endpoint is true, which is not known here.

variable "hub_endpoint" {
  type = bool
}

resource "azurerm_key_vault" "kv" {
  name                = "kv-hub"
  location            = "westeurope"
  resource_group_name = "rg-ai"
  tenant_id           = "00000000-0000-0000-0000-000000000000"
  sku_name            = "standard"
}

resource "azurerm_storage_account" "st" {
  name                     = "sthub"
  location                 = "westeurope"
  resource_group_name      = "rg-ai"
  account_tier             = "Standard"
  account_replication_type = "LRS"
}

resource "azurerm_container_registry" "acr" {
  name                = "acrhub"
  location            = "westeurope"
  resource_group_name = "rg-ai"
  sku                 = "Premium"
}

resource "azurerm_ai_foundry" "hub" {
  name                  = "hub"
  location              = "westeurope"
  resource_group_name   = "rg-ai"
  key_vault_id          = azurerm_key_vault.kv.id
  storage_account_id    = azurerm_storage_account.st.id
  container_registry_id = azurerm_container_registry.acr.id
  public_network_access = "Disabled"

  managed_network {
    isolation_mode = "AllowOnlyApprovedOutbound"
  }

  identity {
    type = "SystemAssigned"
  }
}

resource "azurerm_ai_foundry_project" "project" {
  name               = "project"
  location           = "westeurope"
  ai_services_hub_id = azurerm_ai_foundry.hub.id

  identity {
    type = "SystemAssigned"
  }
}

resource "azurerm_machine_learning_compute_instance" "notebook" {
  name                          = "notebook"
  machine_learning_workspace_id = azurerm_ai_foundry_project.project.id
  virtual_machine_size          = "STANDARD_DS3_V2"
  local_auth_enabled            = false
  node_public_ip_enabled        = false
}

resource "azurerm_private_endpoint" "hub" {
  count               = var.hub_endpoint ? 1 : 0
  name                = "pe-hub"
  location            = "westeurope"
  resource_group_name = "rg-ai"
  subnet_id           = azurerm_subnet.pe.id

  private_service_connection {
    name                           = "hub"
    private_connection_resource_id = azurerm_ai_foundry.hub.id
    subresource_names              = ["amlworkspace"]
    is_manual_connection           = false
  }
}

resource "azurerm_private_endpoint" "dependencies" {
  for_each = {
    vault    = azurerm_key_vault.kv.id
    registry = azurerm_container_registry.acr.id
    blob     = azurerm_storage_account.st.id
    file     = azurerm_storage_account.st.id
    queue    = azurerm_storage_account.st.id
    table    = azurerm_storage_account.st.id
  }
  name                = "pe-${each.key}"
  location            = "westeurope"
  resource_group_name = "rg-ai"
  subnet_id           = azurerm_subnet.pe.id

  private_service_connection {
    name                           = each.key
    private_connection_resource_id = each.value
    subresource_names              = [each.key]
    is_manual_connection           = false
  }
}
