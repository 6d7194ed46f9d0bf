resource "azapi_resource" "nsg" {
  type      = "Microsoft.Network/networkSecurityGroups@2023-09-01"
  name      = "nsg-azapi"
  location  = "westeurope"
  parent_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg"
  body = {
    properties = {
      securityRules = [
        {
          name = "ssh-bastion"
          properties = {
            priority                 = 110
            direction                = "Inbound"
            access                   = "Allow"
            protocol                 = "Tcp"
            sourceAddressPrefix      = "10.0.250.0/26"
            sourcePortRange          = "*"
            destinationAddressPrefix = "*"
            destinationPortRange     = "22"
          }
        }
      ]
    }
  }
}

resource "azapi_resource" "nsg_deny" {
  type      = "Microsoft.Network/networkSecurityGroups/securityRules@2023-09-01"
  name      = "deny-ssh"
  parent_id = azapi_resource.nsg.id
  body = jsonencode({
    properties = {
      priority                 = 100
      direction                = "Inbound"
      access                   = "Deny"
      protocol                 = "*"
      sourceAddressPrefix      = "Internet"
      sourcePortRange          = "*"
      destinationAddressPrefix = "*"
      destinationPortRange     = "22"
    }
  })
}
