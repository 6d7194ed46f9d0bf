resource "azapi_resource" "pool" {
  type      = "Microsoft.Batch/batchAccounts/pools@2024-07-01"
  name      = "pool-azapi"
  parent_id = azapi_resource.account.id
  body = {
    properties = {
      vmSize = "STANDARD_D2S_V3"
      networkConfiguration = {
        endpointConfiguration = {
          inboundNatPools = [
            {
              name                   = "ssh"
              protocol               = "TCP"
              backendPort            = 22
              frontendPortRangeStart = 4000
              frontendPortRangeEnd   = 4100
              networkSecurityGroupRules = [
                { priority = 150, access = "Allow", sourceAddressPrefix = "0.0.0.0/0" },
                { priority = 200, access = "Deny", sourceAddressPrefix = "*" }
              ]
            }
          ]
        }
      }
    }
  }
}

# No endpoint rules; the subnet's NSG denies SSH from 0.0.0.0/0, which covers IPv4 only. The pool's
# IP families are ["IPv4", "IPv6"].
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
            destinationPortRange     = "22"
          }
        },
        {
          name = "allow-rest"
          properties = {
            priority                 = 300
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

resource "azapi_resource" "subnet" {
  type      = "Microsoft.Network/virtualNetworks/subnets@2023-09-01"
  name      = "pools"
  parent_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet-dual"
  body = {
    properties = {
      addressPrefix        = "10.3.0.0/24"
      networkSecurityGroup = { id = azapi_resource.nsg_v4_only.id }
    }
  }
}

resource "azapi_resource" "pool_dual" {
  type      = "Microsoft.Batch/batchAccounts/pools@2024-07-01"
  name      = "dual-stack-ssh"
  parent_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Batch/batchAccounts/acct"
  body = {
    properties = {
      vmSize                      = "STANDARD_D2S_V3"
      targetNodeCommunicationMode = "Simplified"
      networkConfiguration = {
        subnetId                     = azapi_resource.subnet.id
        publicIPAddressConfiguration = { provision = "BatchManaged", ipFamilies = ["IPv4", "IPv6"] }
        endpointConfiguration = {
          inboundNatPools = [
            {
              name                   = "ssh"
              protocol               = "TCP"
              backendPort            = 22
              frontendPortRangeStart = 7000
              frontendPortRangeEnd   = 7100
            }
          ]
        }
      }
    }
  }
}
