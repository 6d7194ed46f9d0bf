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

resource "azapi_resource" "ws" {
  type      = "Microsoft.MachineLearningServices/workspaces@2024-04-01"
  name      = "ws"
  parent_id = var.rg_id
  location  = "westeurope"
  body = {
    properties = {}
  }
}

resource "azapi_resource" "nsg" {
  type      = "Microsoft.Network/networkSecurityGroups@2023-09-01"
  name      = "nsg"
  parent_id = var.rg_id
  location  = "westeurope"
  body = {
    properties = {
      securityRules = [
        {
          name = "batch-mgmt"
          properties = {
            priority                 = 100
            direction                = "Inbound"
            access                   = "Allow"
            protocol                 = "Tcp"
            sourceAddressPrefix      = "BatchNodeManagement.westeurope"
            sourcePortRange          = "*"
            destinationAddressPrefix = "*"
            destinationPortRange     = "29876-29877"
          }
        },
        {
          name = "aml"
          properties = {
            priority                 = 110
            direction                = "Inbound"
            access                   = "Allow"
            protocol                 = "Tcp"
            sourceAddressPrefix      = "AzureMachineLearning"
            sourcePortRange          = "*"
            destinationAddressPrefix = "VirtualNetwork"
            destinationPortRange     = "44224"
          }
        }
      ]
    }
  }
}

resource "azapi_resource" "subnet" {
  type      = "Microsoft.Network/virtualNetworks/subnets@2023-09-01"
  name      = "training"
  parent_id = azapi_resource.vnet.id
  body = {
    properties = {
      addressPrefix        = "10.0.1.0/24"
      networkSecurityGroup = {
        id = azapi_resource.nsg.id
      }
    }
  }
}

resource "azapi_resource" "pool" {
  type      = "Microsoft.Batch/batchAccounts/pools@2024-07-01"
  name      = "pool"
  parent_id = azapi_resource.acct.id
  body = {
    properties = {
      vmSize                  = "STANDARD_D2S_V3"
      deploymentConfiguration = {
        virtualMachineConfiguration = {
          nodeAgentSkuId = "batch.node.ubuntu 22.04"
        }
      }
      networkConfiguration = {
        subnetId = azapi_resource.subnet.id
      }
      targetNodeCommunicationMode = "Classic"
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
      properties = {
        vmSize = "STANDARD_DS3_V2"
        subnet = {
          id = azapi_resource.subnet.id
        }
      }
    }
  }
}
