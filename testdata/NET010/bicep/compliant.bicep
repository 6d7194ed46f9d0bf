param mgmtSource string

resource r0 'Microsoft.Batch/batchAccounts@2024-07-01' = {
  name: 'acct'
  location: 'westeurope'
  properties: {}
}

resource r1 'Microsoft.MachineLearningServices/workspaces@2024-04-01' = {
  name: 'ws'
  location: 'westeurope'
  identity: {
    'type': 'SystemAssigned'
  }
  properties: {}
}

resource r2 'Microsoft.MachineLearningServices/workspaces@2024-04-01' = {
  name: 'ws-managed'
  location: 'westeurope'
  identity: {
    'type': 'SystemAssigned'
  }
  properties: {
    managedNetwork: {
      isolationMode: 'AllowOnlyApprovedOutbound'
    }
  }
}

resource r3 'Microsoft.Network/networkSecurityGroups@2023-09-01' = {
  name: 'nsg-service-tags'
  location: 'westeurope'
  properties: {
    securityRules: [
      {
        name: 'batch-mgmt'
        properties: {
          priority: 100
          direction: 'Inbound'
          access: 'Allow'
          protocol: 'Tcp'
          sourceAddressPrefix: 'BatchNodeManagement.westeurope'
          sourcePortRange: '*'
          destinationAddressPrefix: '*'
          destinationPortRange: '29876-29877'
        }
      }
      {
        name: 'aml'
        properties: {
          priority: 110
          direction: 'Inbound'
          access: 'Allow'
          protocol: 'Tcp'
          sourceAddressPrefix: 'AzureMachineLearning'
          sourcePortRange: '*'
          destinationAddressPrefix: '*'
          destinationPortRange: '44224'
        }
      }
      {
        name: 'https'
        properties: {
          priority: 120
          direction: 'Inbound'
          access: 'Allow'
          protocol: 'Tcp'
          sourceAddressPrefix: '*'
          sourcePortRange: '*'
          destinationAddressPrefix: '*'
          destinationPortRange: '443'
        }
      }
      {
        name: 'deny-all-in'
        properties: {
          priority: 4000
          direction: 'Inbound'
          access: 'Deny'
          protocol: 'Tcp'
          sourceAddressPrefix: '*'
          sourcePortRange: '*'
          destinationAddressPrefix: '*'
          destinationPortRange: '*'
        }
      }
    ]
  }
}

resource r4 'Microsoft.Network/networkSecurityGroups@2023-09-01' = {
  name: 'nsg-deny-first'
  location: 'westeurope'
  properties: {
    securityRules: [
      {
        name: 'deny-internet'
        properties: {
          priority: 100
          direction: 'Inbound'
          access: 'Deny'
          protocol: 'Tcp'
          sourceAddressPrefix: 'Internet'
          sourcePortRange: '*'
          destinationAddressPrefix: '*'
          destinationPortRange: '*'
        }
      }
      {
        name: 'open-mgmt'
        properties: {
          priority: 200
          direction: 'Inbound'
          access: 'Allow'
          protocol: 'Tcp'
          sourceAddressPrefix: '*'
          sourcePortRange: '*'
          destinationAddressPrefix: '*'
          destinationPortRange: '29876-29877'
        }
      }
    ]
  }
}

resource r5 'Microsoft.Network/networkSecurityGroups@2023-09-01' = {
  name: 'nsg-from-parameter'
  location: 'westeurope'
  properties: {
    securityRules: [
      {
        name: 'mgmt'
        properties: {
          priority: 100
          direction: 'Inbound'
          access: 'Allow'
          protocol: 'Tcp'
          sourceAddressPrefix: mgmtSource
          sourcePortRange: '*'
          destinationAddressPrefix: '*'
          destinationPortRange: '29876-29877'
        }
      }
    ]
  }
}

resource r6 'Microsoft.Network/networkSecurityGroups@2023-09-01' = {
  name: 'nsg-open-managed'
  location: 'westeurope'
  properties: {
    securityRules: [
      {
        name: 'open-aml'
        properties: {
          priority: 100
          direction: 'Inbound'
          access: 'Allow'
          protocol: 'Tcp'
          sourceAddressPrefix: '*'
          sourcePortRange: '*'
          destinationAddressPrefix: '*'
          destinationPortRange: '44224'
        }
      }
    ]
  }
}

resource r7 'Microsoft.Network/networkSecurityGroups@2023-09-01' = {
  name: 'nsg-unused'
  location: 'westeurope'
  properties: {
    securityRules: [
      {
        name: 'open-mgmt'
        properties: {
          priority: 100
          direction: 'Inbound'
          access: 'Allow'
          protocol: 'Tcp'
          sourceAddressPrefix: 'Internet'
          sourcePortRange: '*'
          destinationAddressPrefix: '*'
          destinationPortRange: '29876-29877'
        }
      }
    ]
  }
}

resource r8 'Microsoft.Network/virtualNetworks/subnets@2023-09-01' = {
  name: 'vnet/tagged'
  properties: {
    addressPrefix: '10.0.1.0/24'
    networkSecurityGroup: {
      id: resourceId('Microsoft.Network/networkSecurityGroups', 'nsg-service-tags')
    }
  }
}

resource r9 'Microsoft.Network/virtualNetworks/subnets@2023-09-01' = {
  name: 'vnet/deny-first'
  properties: {
    addressPrefix: '10.0.2.0/24'
    networkSecurityGroup: {
      id: resourceId('Microsoft.Network/networkSecurityGroups', 'nsg-deny-first')
    }
  }
}

resource r10 'Microsoft.Network/virtualNetworks/subnets@2023-09-01' = {
  name: 'vnet/from-parameter'
  properties: {
    addressPrefix: '10.0.3.0/24'
    networkSecurityGroup: {
      id: resourceId('Microsoft.Network/networkSecurityGroups', 'nsg-from-parameter')
    }
  }
}

resource r11 'Microsoft.Network/virtualNetworks/subnets@2023-09-01' = {
  name: 'vnet/managed'
  properties: {
    addressPrefix: '10.0.4.0/24'
    networkSecurityGroup: {
      id: resourceId('Microsoft.Network/networkSecurityGroups', 'nsg-open-managed')
    }
  }
}

resource r12 'Microsoft.Batch/batchAccounts/pools@2024-07-01' = {
  name: 'acct/simplified'
  properties: {
    vmSize: 'STANDARD_D2S_V3'
    deploymentConfiguration: {
      virtualMachineConfiguration: {
        nodeAgentSkuId: 'batch.node.ubuntu 22.04'
      }
    }
    networkConfiguration: {
      subnetId: resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'tagged')
    }
    targetNodeCommunicationMode: 'Simplified'
  }
}

resource r13 'Microsoft.Batch/batchAccounts/pools@2024-07-01' = {
  name: 'acct/classic'
  properties: {
    vmSize: 'STANDARD_D2S_V3'
    deploymentConfiguration: {
      virtualMachineConfiguration: {
        nodeAgentSkuId: 'batch.node.ubuntu 22.04'
      }
    }
    networkConfiguration: {
      subnetId: resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'tagged')
    }
    targetNodeCommunicationMode: 'Classic'
  }
}

resource r14 'Microsoft.Batch/batchAccounts/pools@2024-07-01' = {
  name: 'acct/default'
  properties: {
    vmSize: 'STANDARD_D2S_V3'
    deploymentConfiguration: {
      virtualMachineConfiguration: {
        nodeAgentSkuId: 'batch.node.ubuntu 22.04'
      }
    }
    networkConfiguration: {
      subnetId: resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'deny-first')
    }
    targetNodeCommunicationMode: 'Default'
  }
}

resource r15 'Microsoft.Batch/batchAccounts/pools@2024-07-01' = {
  name: 'acct/mode-absent'
  properties: {
    vmSize: 'STANDARD_D2S_V3'
    deploymentConfiguration: {
      virtualMachineConfiguration: {
        nodeAgentSkuId: 'batch.node.ubuntu 22.04'
      }
    }
    networkConfiguration: {
      subnetId: resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'from-parameter')
    }
  }
}

resource r16 'Microsoft.MachineLearningServices/workspaces/computes@2024-04-01' = {
  name: 'ws/cluster'
  location: 'westeurope'
  properties: {
    computeType: 'AmlCompute'
    properties: {
      vmSize: 'STANDARD_DS3_V2'
      subnet: {
        id: resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'tagged')
      }
    }
  }
}

resource r17 'Microsoft.MachineLearningServices/workspaces/computes@2024-04-01' = {
  name: 'ws-managed/managed-cluster'
  location: 'westeurope'
  properties: {
    computeType: 'AmlCompute'
    properties: {
      vmSize: 'STANDARD_DS3_V2'
      subnet: {
        id: resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'managed')
      }
    }
  }
}
