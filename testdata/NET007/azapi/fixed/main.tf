resource "azapi_resource" "nsg" {
  type      = "Microsoft.Network/networkSecurityGroups@2023-09-01"
  name      = "nsg-azapi"
  location  = "westeurope"
  parent_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg"
  body = {
    properties = {
      securityRules = [
        {
          name = "ssh-admins"
          properties = {
            priority                 = 150
            direction                = "Inbound"
            access                   = "Allow"
            protocol                 = "Tcp"
            sourceAddressPrefixes    = ["10.0.0.0/8", "AzureCloud.westeurope"]
            sourcePortRange          = "*"
            destinationAddressPrefix = "*"
            destinationPortRange     = "22"
          }
        },
        {
          name = "no-access"
          properties = {
            priority                 = 99
            direction                = "Inbound"
            protocol                 = "*"
            sourceAddressPrefix      = "*"
            sourcePortRange          = "*"
            destinationAddressPrefix = "*"
            destinationPortRanges    = ["22", "ssh"]
          }
        }
      ]
    }
  }
}

# A child rule (azapi 1.x jsonencode body) that repeats the inline rule's priority.
resource "azapi_resource" "child" {
  type      = "Microsoft.Network/networkSecurityGroups/securityRules@2023-09-01"
  name      = "rdp-admins"
  parent_id = azapi_resource.nsg.id
  body = jsonencode({
    properties = {
      priority                 = 150
      direction                = "Inbound"
      access                   = "Allow"
      protocol                 = "Tcp"
      sourceAddressPrefixes    = ["192.168.0.0/16"]
      sourcePortRange          = "*"
      destinationAddressPrefix = "*"
      destinationPortRange     = "3389"
    }
  })
}
