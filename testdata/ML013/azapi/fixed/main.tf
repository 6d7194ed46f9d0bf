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

resource "azapi_resource" "fw" {
  type      = "Microsoft.Network/routeTables@2023-09-01"
  name      = "fw"
  parent_id = var.rg_id
  location  = "westeurope"
  body = {
    properties = {
      routes = [
        {
          name       = "default-to-firewall"
          properties = {
            addressPrefix    = "0.0.0.0/0"
            nextHopType      = "VirtualAppliance"
            nextHopIpAddress = "10.0.9.4"
          }
        }, { name = "AzureMachineLearning-Internet", properties = { addressPrefix = "AzureMachineLearning", nextHopType = "Internet" } }
      ]
    }
  }
}

resource "azapi_resource" "fw_subnet" {
  type      = "Microsoft.Network/virtualNetworks/subnets@2023-09-01"
  name      = "fw_subnet"
  parent_id = azapi_resource.vnet.id
  body = {
    properties = {
      addressPrefix = "10.0.1.0/24"
      routeTable    = {
        id = azapi_resource.fw.id
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
          id = azapi_resource.fw_subnet.id
        }
      }
    }
  }
}
