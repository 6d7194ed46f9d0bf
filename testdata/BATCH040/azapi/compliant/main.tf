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

resource "azapi_resource" "mgmt" {
  type      = "Microsoft.Network/networkSecurityGroups@2023-09-01"
  name      = "mgmt"
  parent_id = var.rg_id
  location  = "westeurope"
  body = {
    properties = {
      securityRules = [
        {
          name       = "allow-batch-mgmt"
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
          name       = "deny-all-in"
          properties = {
            priority                 = 200
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

resource "azapi_resource" "mgmt_subnet" {
  type      = "Microsoft.Network/virtualNetworks/subnets@2023-09-01"
  name      = "mgmt_subnet"
  parent_id = azapi_resource.vnet.id
  body = {
    properties = {
      addressPrefix        = "10.0.1.0/24"
      networkSecurityGroup = {
        id = azapi_resource.mgmt.id
      }
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
      addressPrefix        = "10.0.2.0/24"
      networkSecurityGroup = {
        id = azapi_resource.closed.id
      }
    }
  }
}

resource "azapi_resource" "allowed" {
  type      = "Microsoft.Batch/batchAccounts/pools@2024-07-01"
  name      = "allowed"
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
        subnetId = azapi_resource.mgmt_subnet.id
      }
      targetNodeCommunicationMode = "Classic"
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
        subnetId = azapi_resource.closed_subnet.id
      }
      targetNodeCommunicationMode = "Simplified"
    }
  }
}

resource "azapi_resource" "api_2025" {
  type      = "Microsoft.Batch/batchAccounts/pools@2025-06-01"
  name      = "api_2025"
  parent_id = azapi_resource.acct.id
  body = {
    properties = {
      vmSize                  = "STANDARD_D2S_V3"
      deploymentConfiguration = {
        virtualMachineConfiguration = {
          nodeAgentSkuId = "batch.node.ubuntu 22.04"
        }
      }
      networkConfiguration    = {
        subnetId = azapi_resource.closed_subnet.id
      }
    }
  }
}

# Default or absent: the simplified model since classic communication was retired, which
# needs no inbound management traffic.
resource "azapi_resource" "mode_absent" {
  type      = "Microsoft.Batch/batchAccounts/pools@2023-05-01"
  name      = "mode_absent"
  parent_id = azapi_resource.acct.id
  body = {
    properties = {
      vmSize                  = "STANDARD_D2S_V3"
      deploymentConfiguration = {
        virtualMachineConfiguration = {
          nodeAgentSkuId = "batch.node.ubuntu 22.04"
        }
      }
      networkConfiguration    = {
        subnetId = azapi_resource.closed_subnet.id
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
      vmSize                  = "STANDARD_D2S_V3"
      deploymentConfiguration = {
        virtualMachineConfiguration = {
          nodeAgentSkuId = "batch.node.ubuntu 22.04"
        }
      }
      networkConfiguration    = {
        subnetId = azapi_resource.closed_subnet.id
      }
      targetNodeCommunicationMode = "Default"
    }
  }
}
