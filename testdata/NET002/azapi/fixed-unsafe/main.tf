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
            sourceAddressPrefix      = "VirtualNetwork"
            sourcePortRange          = "*"
            destinationAddressPrefix = "*"
            destinationPortRange     = "*"
          }
        }
      ]
    }
  })
}

# The Deny of 0.0.0.0/0 covers IPv4 only; the Batch pool in the subnet has the IP families ["IPv4", "IPv6"].
resource "azapi_resource" "nsg_v4_only" {
  type      = "Microsoft.Network/networkSecurityGroups@2023-09-01"
  name      = "nsg-deny-v4-only"
  location  = "westeurope"
  parent_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg"
  body = {
    properties = {
      securityRules = [
        {
          name = "deny-internet-v4"
          properties = {
            priority                 = 200
            direction                = "Inbound"
            access                   = "Deny"
            protocol                 = "*"
            sourceAddressPrefix      = "0.0.0.0/0"
            sourcePortRange          = "*"
            destinationAddressPrefix = "*"
            destinationPortRange     = "3389"
          }
        },
        {
          name = "allow-rest"
          properties = {
            priority                 = 300
            direction                = "Inbound"
            access                   = "Allow"
            protocol                 = "Tcp"
            sourceAddressPrefix      = "VirtualNetwork"
            sourcePortRange          = "*"
            destinationAddressPrefix = "*"
            destinationPortRange     = "3389"
          }
        }
      ]
    }
  }
}

resource "azapi_resource" "subnet" {
  type      = "Microsoft.Network/virtualNetworks/subnets@2023-09-01"
  name      = "pool"
  parent_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet-batch"
  body = {
    properties = {
      addressPrefix        = "10.2.0.0/24"
      networkSecurityGroup = { id = azapi_resource.nsg_v4_only.id }
    }
  }
}

resource "azapi_resource" "pool" {
  type      = "Microsoft.Batch/batchAccounts/pools@2024-07-01"
  name      = "windows-pool"
  parent_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Batch/batchAccounts/acct"
  body = {
    properties = {
      vmSize                      = "STANDARD_D2S_V3"
      targetNodeCommunicationMode = "Simplified"
      networkConfiguration = {
        subnetId                     = azapi_resource.subnet.id
        publicIPAddressConfiguration = { provision = "BatchManaged", ipFamilies = ["IPv4", "IPv6"] }
      }
    }
  }
}
