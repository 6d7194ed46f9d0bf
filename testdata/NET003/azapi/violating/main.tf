# Inline rules: a Deny of one UDP port from the internet behind an Allow of a UDP range from 0.0.0.0/0.
resource "azapi_resource" "nsg" {
  type      = "Microsoft.Network/networkSecurityGroups@2023-09-01"
  name      = "nsg-media"
  location  = "westeurope"
  parent_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg"
  body = {
    properties = {
      securityRules = [
        {
          name = "allow-media"
          properties = {
            priority                 = 120
            direction                = "Inbound"
            access                   = "Allow"
            protocol                 = "Udp"
            sourceAddressPrefix      = "0.0.0.0/0"
            sourcePortRange          = "*"
            destinationAddressPrefix = "*"
            destinationPortRange     = "3000-3999"
          }
        },
        {
          name = "deny-turn"
          properties = {
            priority                 = 300
            direction                = "Inbound"
            access                   = "Deny"
            protocol                 = "Udp"
            sourceAddressPrefix      = "Internet"
            sourcePortRange          = "*"
            destinationAddressPrefix = "*"
            destinationPortRange     = "3478"
          }
        }
      ]
    }
  }
}

# Child rules (azapi 1.x jsonencode bodies): an Allow of one Storage region behind a Deny of AzureCloud.
resource "azapi_resource" "nsg_out" {
  type      = "Microsoft.Network/networkSecurityGroups@2023-09-01"
  name      = "nsg-out"
  location  = "westeurope"
  parent_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg"
  body = jsonencode({
    properties = {
      securityRules = []
    }
  })
}

resource "azapi_resource" "deny_cloud" {
  type      = "Microsoft.Network/networkSecurityGroups/securityRules@2023-09-01"
  name      = "deny-azurecloud"
  parent_id = azapi_resource.nsg_out.id
  body = jsonencode({
    properties = {
      priority                 = 100
      direction                = "Outbound"
      access                   = "Deny"
      protocol                 = "*"
      sourceAddressPrefix      = "*"
      sourcePortRange          = "*"
      destinationAddressPrefix = "AzureCloud"
      destinationPortRange     = "*"
    }
  })
}

resource "azapi_resource" "allow_storage" {
  type      = "Microsoft.Network/networkSecurityGroups/securityRules@2023-09-01"
  name      = "allow-storage-we"
  parent_id = azapi_resource.nsg_out.id
  body = jsonencode({
    properties = {
      priority                 = 200
      direction                = "Outbound"
      access                   = "Allow"
      protocol                 = "Tcp"
      sourceAddressPrefix      = "VirtualNetwork"
      sourcePortRange          = "*"
      destinationAddressPrefix = "Storage.WestEurope"
      destinationPortRange     = "443"
    }
  })
}
