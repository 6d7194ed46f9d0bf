variable "admin_ranges" {
  type = list(string)
}

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
            sourceAddressPrefixes    = var.admin_ranges
            sourcePortRange          = "*"
            destinationAddressPrefix = "*"
            destinationPortRanges    = ["22", 2222]
          }
        },
        {
          name = "storage-out"
          properties = {
            priority                 = 150
            direction                = "Outbound"
            access                   = "Allow"
            protocol                 = "Tcp"
            sourceAddressPrefix      = "VirtualNetwork"
            sourcePortRange          = "*"
            destinationAddressPrefix = "Storage.WestEurope"
            destinationPortRange     = "443"
          }
        }
      ]
    }
  }
}

resource "azapi_resource" "child" {
  type      = "Microsoft.Network/networkSecurityGroups/securityRules@2023-09-01"
  name      = "rdp-admins"
  parent_id = azapi_resource.nsg.id
  body = jsonencode({
    properties = {
      priority                 = 160
      direction                = "Inbound"
      access                   = "Allow"
      protocol                 = "Tcp"
      sourceAddressPrefixes    = ["10.0.0.0/8", "192.168.0.0/16"]
      sourcePortRange          = "*"
      destinationAddressPrefix = "*"
      destinationPortRange     = "3389"
    }
  })
}
