variable "rg_id" {
  type = string
}

resource "azapi_resource" "vnet" {
  type      = "Microsoft.Network/virtualNetworks@2023-09-01"
  name      = "vnet"
  parent_id = var.rg_id
  location  = "westeurope"
  body = {
    properties = {
      addressSpace = {
        addressPrefixes = ["10.0.0.0/16"]
      }
    }
  }
}

resource "azapi_resource" "acct" {
  type      = "Microsoft.Batch/batchAccounts@2024-07-01"
  name      = "acct"
  parent_id = var.rg_id
  location  = "westeurope"
  body = {
    properties = {}
  }
}

resource "azapi_resource" "closed" {
  type      = "Microsoft.Network/networkSecurityGroups@2023-09-01"
  name      = "closed"
  parent_id = var.rg_id
  location  = "westeurope"
  body = {
    properties = {
      securityRules = [
        {
          name       = "deny-all-in"
          properties = {
            priority                 = 100
            direction                = "Inbound"
            access                   = "Deny"
            protocol                 = "*"
            sourceAddressPrefix      = "*"
            sourcePortRange          = "*"
            destinationAddressPrefix = "*"
            destinationPortRange     = "*"
          }
        }
      ]
    }
  }
}

resource "azapi_resource" "closed_subnet" {
  type      = "Microsoft.Network/virtualNetworks/subnets@2023-09-01"
  name      = "closed_subnet"
  parent_id = azapi_resource.vnet.id
  body = {
    properties = {
      addressPrefix        = "10.0.1.0/24"
      networkSecurityGroup = {
        id = azapi_resource.closed.id
      }
    }
  }
}

resource "azapi_resource" "classic" {
  type      = "Microsoft.Batch/batchAccounts/pools@2024-07-01"
  name      = "classic"
  parent_id = azapi_resource.acct.id
  body = {
    properties = {
      vmSize                      = "STANDARD_D2S_V3"
      deploymentConfiguration     = {
        virtualMachineConfiguration = {
          nodeAgentSkuId = "batch.node.ubuntu 22.04"
        }
      }
      networkConfiguration        = {
        subnetId = azapi_resource.closed_subnet.id
      }
      targetNodeCommunicationMode = "Classic"
    }
  }
}
