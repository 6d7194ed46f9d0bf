variable "media_source" {
  type = string
}

resource "azapi_resource" "nsg" {
  type      = "Microsoft.Network/networkSecurityGroups@2023-09-01"
  name      = "nsg-media"
  location  = "westeurope"
  parent_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg"
  body = {
    properties = {
      securityRules = [
        # The Deny comes first, so it takes effect.
        {
          name = "deny-turn"
          properties = {
            priority                 = 110
            direction                = "Inbound"
            access                   = "Deny"
            protocol                 = "Udp"
            sourceAddressPrefix      = "Internet"
            sourcePortRange          = "*"
            destinationAddressPrefix = "*"
            destinationPortRange     = "3478"
          }
        },
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
        # Redundant (same access): silent without redundant_rules.
        {
          name = "allow-media-low"
          properties = {
            priority                 = 130
            direction                = "Inbound"
            access                   = "Allow"
            protocol                 = "Udp"
            sourceAddressPrefix      = "Internet"
            sourcePortRange          = "*"
            destinationAddressPrefix = "*"
            destinationPortRange     = "3000-3099"
          }
        },
        # A source from a variable: unknown, so nothing is reported.
        {
          name = "allow-partner"
          properties = {
            priority                 = 140
            direction                = "Inbound"
            access                   = "Allow"
            protocol                 = "Udp"
            sourceAddressPrefix      = var.media_source
            sourcePortRange          = "*"
            destinationAddressPrefix = "*"
            destinationPortRange     = "5000"
          }
        },
        {
          name = "deny-5000"
          properties = {
            priority                 = 150
            direction                = "Inbound"
            access                   = "Deny"
            protocol                 = "Udp"
            sourceAddressPrefix      = "Internet"
            sourcePortRange          = "*"
            destinationAddressPrefix = "*"
            destinationPortRange     = "5000"
          }
        },
        # Only partly covered: 3900-4100 reaches beyond 3999.
        {
          name = "deny-high-media"
          properties = {
            priority                 = 160
            direction                = "Inbound"
            access                   = "Deny"
            protocol                 = "Udp"
            sourceAddressPrefix      = "Internet"
            sourcePortRange          = "*"
            destinationAddressPrefix = "*"
            destinationPortRange     = "3900-4100"
          }
        }
      ]
    }
  }
}
