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

resource "azapi_resource" "ws" {
  type      = "Microsoft.MachineLearningServices/workspaces@2024-04-01"
  name      = "ws"
  parent_id = var.rg_id
  location  = "westeurope"
  body = {
    properties = {
      publicNetworkAccess = "Disabled"
    }
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

resource "azapi_resource" "cluster" {
  type      = "Microsoft.MachineLearningServices/workspaces/computes@2024-04-01"
  name      = "cluster"
  parent_id = azapi_resource.ws.id
  location  = "westeurope"
  body = {
    properties = {
      computeType = "AmlCompute"
      properties  = {
        vmSize = "STANDARD_DS3_V2"
        subnet = {
          id = azapi_resource.closed_subnet.id
        }
      }
    }
  }
}

resource "azapi_resource" "instance" {
  type      = "Microsoft.MachineLearningServices/workspaces/computes@2024-04-01"
  name      = "instance"
  parent_id = azapi_resource.ws.id
  location  = "westeurope"
  body = {
    properties = {
      computeType = "ComputeInstance"
      properties  = {
        vmSize             = "STANDARD_DS3_V2"
        subnet             = {
          id = azapi_resource.closed_subnet.id
        }
        enableNodePublicIp = true
      }
    }
  }
}
