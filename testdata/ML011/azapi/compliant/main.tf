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

resource "azapi_resource" "allows" {
  type      = "Microsoft.Network/networkSecurityGroups@2023-09-01"
  name      = "allows"
  parent_id = var.rg_id
  location  = "westeurope"
  body = {
    properties = {
      securityRules = [
        {
          name       = "allow-azureactivedirectory-80"
          properties = {
            priority                 = 100
            direction                = "Outbound"
            access                   = "Allow"
            protocol                 = "Tcp"
            sourceAddressPrefix      = "*"
            sourcePortRange          = "*"
            destinationAddressPrefix = "AzureActiveDirectory"
            destinationPortRange     = "80"
          }
        },
        {
          name       = "allow-azureactivedirectory-443"
          properties = {
            priority                 = 101
            direction                = "Outbound"
            access                   = "Allow"
            protocol                 = "Tcp"
            sourceAddressPrefix      = "*"
            sourcePortRange          = "*"
            destinationAddressPrefix = "AzureActiveDirectory"
            destinationPortRange     = "443"
          }
        },
        {
          name       = "allow-azuremachinelearning-443"
          properties = {
            priority                 = 102
            direction                = "Outbound"
            access                   = "Allow"
            protocol                 = "Tcp"
            sourceAddressPrefix      = "*"
            sourcePortRange          = "*"
            destinationAddressPrefix = "AzureMachineLearning"
            destinationPortRange     = "443"
          }
        },
        {
          name       = "allow-batchnodemanagement-westeurope-443"
          properties = {
            priority                 = 103
            direction                = "Outbound"
            access                   = "Allow"
            protocol                 = "Tcp"
            sourceAddressPrefix      = "*"
            sourcePortRange          = "*"
            destinationAddressPrefix = "BatchNodeManagement.westeurope"
            destinationPortRange     = "443"
          }
        },
        {
          name       = "allow-azureresourcemanager-443"
          properties = {
            priority                 = 104
            direction                = "Outbound"
            access                   = "Allow"
            protocol                 = "Tcp"
            sourceAddressPrefix      = "*"
            sourcePortRange          = "*"
            destinationAddressPrefix = "AzureResourceManager"
            destinationPortRange     = "443"
          }
        },
        {
          name       = "allow-storage-westeurope-443"
          properties = {
            priority                 = 105
            direction                = "Outbound"
            access                   = "Allow"
            protocol                 = "Tcp"
            sourceAddressPrefix      = "*"
            sourcePortRange          = "*"
            destinationAddressPrefix = "Storage.westeurope"
            destinationPortRange     = "443"
          }
        },
        {
          name       = "allow-azurefrontdoor-frontend-443"
          properties = {
            priority                 = 106
            direction                = "Outbound"
            access                   = "Allow"
            protocol                 = "Tcp"
            sourceAddressPrefix      = "*"
            sourcePortRange          = "*"
            destinationAddressPrefix = "AzureFrontDoor.Frontend"
            destinationPortRange     = "443"
          }
        },
        {
          name       = "allow-microsoftcontainerregistry-443"
          properties = {
            priority                 = 107
            direction                = "Outbound"
            access                   = "Allow"
            protocol                 = "Tcp"
            sourceAddressPrefix      = "*"
            sourcePortRange          = "*"
            destinationAddressPrefix = "MicrosoftContainerRegistry"
            destinationPortRange     = "443"
          }
        },
        {
          name       = "allow-azurefrontdoor-firstparty-443"
          properties = {
            priority                 = 108
            direction                = "Outbound"
            access                   = "Allow"
            protocol                 = "Tcp"
            sourceAddressPrefix      = "*"
            sourcePortRange          = "*"
            destinationAddressPrefix = "AzureFrontDoor.FirstParty"
            destinationPortRange     = "443"
          }
        },
        {
          name       = "allow-virtualnetwork-443"
          properties = {
            priority                 = 109
            direction                = "Outbound"
            access                   = "Allow"
            protocol                 = "Tcp"
            sourceAddressPrefix      = "*"
            sourcePortRange          = "*"
            destinationAddressPrefix = "VirtualNetwork"
            destinationPortRange     = "443"
          }
        },
        {
          name       = "allow-aml-instance"
          properties = {
            priority                 = 150
            direction                = "Outbound"
            access                   = "Allow"
            protocol                 = "Tcp"
            sourceAddressPrefix      = "*"
            sourcePortRange          = "*"
            destinationAddressPrefix = "AzureMachineLearning"
            destinationPortRange     = "8787"
          }
        },
        {
          name       = "allow-aml-instance-2"
          properties = {
            priority                 = 151
            direction                = "Outbound"
            access                   = "Allow"
            protocol                 = "Tcp"
            sourceAddressPrefix      = "*"
            sourcePortRange          = "*"
            destinationAddressPrefix = "AzureMachineLearning"
            destinationPortRange     = "18881"
          }
        },
        {
          name       = "allow-aml-udp"
          properties = {
            priority                 = 152
            direction                = "Outbound"
            access                   = "Allow"
            protocol                 = "Udp"
            sourceAddressPrefix      = "*"
            sourcePortRange          = "*"
            destinationAddressPrefix = "AzureMachineLearning"
            destinationPortRange     = "5831"
          }
        },
        {
          name       = "deny-all-out"
          properties = {
            priority                 = 200
            direction                = "Outbound"
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

resource "azapi_resource" "allows_subnet" {
  type      = "Microsoft.Network/virtualNetworks/subnets@2023-09-01"
  name      = "allows_subnet"
  parent_id = azapi_resource.vnet.id
  body = {
    properties = {
      addressPrefix        = "10.0.1.0/24"
      networkSecurityGroup = {
        id = azapi_resource.allows.id
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
        vmSize             = "STANDARD_DS3_V2"
        subnet             = {
          id = azapi_resource.allows_subnet.id
        }
        enableNodePublicIp = false
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
          id = azapi_resource.allows_subnet.id
        }
        enableNodePublicIp = false
      }
    }
  }
}
