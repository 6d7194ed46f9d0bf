resource "azapi_resource" "nsg" {
  type      = "Microsoft.Network/networkSecurityGroups@2023-09-01"
  name      = "nsg-rdp"
  location  = "westeurope"
  parent_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg"
  body = jsonencode({
    properties = {
      securityRules = [
        {
          name = "rdp"
          properties = {
            priority                 = 100
            direction                = "Inbound"
            access                   = "Allow"
            protocol                 = "*"
            sourceAddressPrefix      = "Internet"
            sourcePortRange          = "*"
            destinationAddressPrefix = "*"
            destinationPortRange     = "*"
          }
        }
      ]
    }
  })
}
