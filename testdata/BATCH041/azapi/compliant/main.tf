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

resource "azapi_resource" "allows" {
  type      = "Microsoft.Network/networkSecurityGroups@2023-09-01"
  name      = "allows"
  parent_id = var.rg_id
  location  = "westeurope"
  body = {
    properties = {
      securityRules = [
        {
          name       = "allow-batch-out"
          properties = {
            priority                 = 100
            direction                = "Outbound"
            access                   = "Allow"
            protocol                 = "*"
            sourceAddressPrefix      = "*"
            sourcePortRange          = "*"
            destinationAddressPrefix = "BatchNodeManagement.westeurope"
            destinationPortRange     = "443"
          }
        },
        {
          name       = "allow-storage-out"
          properties = {
            priority                 = 110
            direction                = "Outbound"
            access                   = "Allow"
            protocol                 = "*"
            sourceAddressPrefix      = "*"
            sourcePortRange          = "*"
            destinationAddressPrefix = "Storage.westeurope"
            destinationPortRange     = "443"
          }
        },
        {
          name       = "deny-internet-out"
          properties = {
            priority                 = 200
            direction                = "Outbound"
            access                   = "Deny"
            protocol                 = "*"
            sourceAddressPrefix      = "*"
            sourcePortRange          = "*"
            destinationAddressPrefix = "Internet"
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

resource "azapi_resource" "simplified" {
  type      = "Microsoft.Batch/batchAccounts/pools@2024-07-01"
  name      = "simplified"
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
        subnetId = azapi_resource.allows_subnet.id
      }
      targetNodeCommunicationMode = "Simplified"
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
        subnetId = azapi_resource.allows_subnet.id
      }
      targetNodeCommunicationMode = "Classic"
    }
  }
}

# Default or absent: the simplified model, which does not need Storage.<region>.
resource "azapi_resource" "bnm_only" {
  type      = "Microsoft.Network/networkSecurityGroups@2023-09-01"
  name      = "bnm_only"
  parent_id = var.rg_id
  location  = "westeurope"
  body = {
    properties = {
      securityRules = [
        {
          name       = "allow-batch-out"
          properties = {
            priority                 = 100
            direction                = "Outbound"
            access                   = "Allow"
            protocol                 = "*"
            sourceAddressPrefix      = "*"
            sourcePortRange          = "*"
            destinationAddressPrefix = "BatchNodeManagement.westeurope"
            destinationPortRange     = "443"
          }
        },
        {
          name       = "deny-internet-out"
          properties = {
            priority                 = 200
            direction                = "Outbound"
            access                   = "Deny"
            protocol                 = "*"
            sourceAddressPrefix      = "*"
            sourcePortRange          = "*"
            destinationAddressPrefix = "Internet"
            destinationPortRange     = "*"
          }
        }
      ]
    }
  }
}

resource "azapi_resource" "bnm_only_subnet" {
  type      = "Microsoft.Network/virtualNetworks/subnets@2023-09-01"
  name      = "bnm_only_subnet"
  parent_id = azapi_resource.vnet.id
  body = {
    properties = {
      addressPrefix        = "10.0.2.0/24"
      networkSecurityGroup = {
        id = azapi_resource.bnm_only.id
      }
    }
  }
}

resource "azapi_resource" "default" {
  type      = "Microsoft.Batch/batchAccounts/pools@2024-07-01"
  name      = "default"
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
        subnetId = azapi_resource.bnm_only_subnet.id
      }
      targetNodeCommunicationMode = "Default"
    }
  }
}

resource "azapi_resource" "mode_absent" {
  type      = "Microsoft.Batch/batchAccounts/pools@2024-07-01"
  name      = "mode_absent"
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
        subnetId = azapi_resource.bnm_only_subnet.id
      }
    }
  }
}
