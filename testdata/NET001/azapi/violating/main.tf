resource "azapi_resource" "nsg" {
  type      = "Microsoft.Network/networkSecurityGroups@2023-09-01"
  name      = "nsg-azapi"
  location  = "westeurope"
  parent_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg"
  body = {
    properties = {
      securityRules = [
        {
          name = "ssh-any"
          properties = {
            priority                 = 100
            direction                = "Inbound"
            access                   = "Allow"
            protocol                 = "Tcp"
            sourceAddressPrefix      = "*"
            sourcePortRange          = "*"
            destinationAddressPrefix = "*"
            destinationPortRange     = "22"
          }
        }
      ]
    }
  }
}

resource "azapi_resource" "nsg_v1" {
  type      = "Microsoft.Network/networkSecurityGroups@2023-09-01"
  name      = "nsg-azapi-jsonencode"
  location  = "westeurope"
  parent_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg"
  body = jsonencode({
    properties = {
      securityRules = []
    }
  })
}

resource "azapi_resource" "nsg_v1_ssh" {
  type      = "Microsoft.Network/networkSecurityGroups/securityRules@2023-09-01"
  name      = "ssh-internet"
  parent_id = azapi_resource.nsg_v1.id
  body = jsonencode({
    properties = {
      priority                 = 200
      direction                = "Inbound"
      access                   = "Allow"
      protocol                 = "*"
      sourceAddressPrefix      = "Internet"
      sourcePortRange          = "*"
      destinationAddressPrefix = "*"
      destinationPortRanges    = ["0-1024"]
    }
  })
}
