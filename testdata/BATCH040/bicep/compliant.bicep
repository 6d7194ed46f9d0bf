param mode string

resource r0 'Microsoft.Batch/batchAccounts@2024-07-01' = {
  name: 'acct'
  location: 'westeurope'
  properties: {}
}

resource r1 'Microsoft.Network/networkSecurityGroups@2023-09-01' = {
  name: 'nsg-open-mgmt'
  location: 'westeurope'
  properties: {
    securityRules: [
      {
        name: 'allow-batch-mgmt'
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
        name: 'deny-all-in'
        properties: {
          priority: 200
          direction: 'Inbound'
          access: 'Deny'
          protocol: '*'
          sourceAddressPrefix: '*'
          sourcePortRange: '*'
          destinationAddressPrefix: '*'
          destinationPortRange: '*'
        }
      }
    ]
  }
}

resource r2 'Microsoft.Network/networkSecurityGroups@2023-09-01' = {
  name: 'nsg-closed'
  location: 'westeurope'
  properties: {
    securityRules: [
      {
        name: 'deny-all-in'
        properties: {
          priority: 100
          direction: 'Inbound'
          access: 'Deny'
          protocol: '*'
          sourceAddressPrefix: '*'
          sourcePortRange: '*'
          destinationAddressPrefix: '*'
          destinationPortRange: '*'
        }
      }
    ]
  }
}

resource r3 'Microsoft.Network/virtualNetworks/subnets@2023-09-01' = {
  name: 'vnet/mgmt'
  properties: {
    addressPrefix: '10.0.1.0/24'
    networkSecurityGroup: {
      id: resourceId('Microsoft.Network/networkSecurityGroups', 'nsg-open-mgmt')
    }
  }
}

resource r4 'Microsoft.Network/virtualNetworks/subnets@2023-09-01' = {
  name: 'vnet/closed'
  properties: {
    addressPrefix: '10.0.2.0/24'
    networkSecurityGroup: {
      id: resourceId('Microsoft.Network/networkSecurityGroups', 'nsg-closed')
    }
  }
}

resource r5 'Microsoft.Network/virtualNetworks/subnets@2023-09-01' = {
  name: 'vnet/no-nsg'
  properties: {
    addressPrefix: '10.0.3.0/24'
  }
}

resource r6 'Microsoft.Batch/batchAccounts/pools@2024-07-01' = {
  name: 'acct/allowed'
  properties: {
    vmSize: 'STANDARD_D2S_V3'
    deploymentConfiguration: {
      virtualMachineConfiguration: {
        nodeAgentSkuId: 'batch.node.ubuntu 22.04'
      }
    }
    networkConfiguration: {
      subnetId: resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'mgmt')
    }
    targetNodeCommunicationMode: 'Classic'
  }
}

resource r7 'Microsoft.Batch/batchAccounts/pools@2024-07-01' = {
  name: 'acct/simplified'
  properties: {
    vmSize: 'STANDARD_D2S_V3'
    deploymentConfiguration: {
      virtualMachineConfiguration: {
        nodeAgentSkuId: 'batch.node.ubuntu 22.04'
      }
    }
    networkConfiguration: {
      subnetId: resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'closed')
    }
    targetNodeCommunicationMode: 'Simplified'
  }
}

resource r8 'Microsoft.Batch/batchAccounts/pools@2024-07-01' = {
  name: 'acct/no-public-ip'
  properties: {
    vmSize: 'STANDARD_D2S_V3'
    deploymentConfiguration: {
      virtualMachineConfiguration: {
        nodeAgentSkuId: 'batch.node.ubuntu 22.04'
      }
    }
    networkConfiguration: {
      subnetId: resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'closed')
      publicIPAddressConfiguration: {
        provision: 'NoPublicIPAddresses'
      }
    }
    targetNodeCommunicationMode: 'Classic'
  }
}

resource r9 'Microsoft.Batch/batchAccounts/pools@2024-07-01' = {
  name: 'acct/mode-from-parameter'
  properties: {
    vmSize: 'STANDARD_D2S_V3'
    deploymentConfiguration: {
      virtualMachineConfiguration: {
        nodeAgentSkuId: 'batch.node.ubuntu 22.04'
      }
    }
    networkConfiguration: {
      subnetId: resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'closed')
    }
    targetNodeCommunicationMode: mode
  }
}

resource r10 'Microsoft.Batch/batchAccounts/pools@2025-06-01' = {
  name: 'acct/api-2025'
  properties: {
    vmSize: 'STANDARD_D2S_V3'
    deploymentConfiguration: {
      virtualMachineConfiguration: {
        nodeAgentSkuId: 'batch.node.ubuntu 22.04'
      }
    }
    networkConfiguration: {
      subnetId: resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'closed')
    }
  }
}

resource r11 'Microsoft.Batch/batchAccounts/pools@2024-07-01' = {
  name: 'acct/no-nsg'
  properties: {
    vmSize: 'STANDARD_D2S_V3'
    deploymentConfiguration: {
      virtualMachineConfiguration: {
        nodeAgentSkuId: 'batch.node.ubuntu 22.04'
      }
    }
    networkConfiguration: {
      subnetId: resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'no-nsg')
    }
    targetNodeCommunicationMode: 'Classic'
  }
}

resource r12 'Microsoft.Batch/batchAccounts/pools@2024-07-01' = {
  name: 'acct/mode-absent'
  properties: {
    vmSize: 'STANDARD_D2S_V3'
    deploymentConfiguration: {
      virtualMachineConfiguration: {
        nodeAgentSkuId: 'batch.node.ubuntu 22.04'
      }
    }
    networkConfiguration: {
      subnetId: resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'closed')
    }
  }
}

resource r13 'Microsoft.Batch/batchAccounts/pools@2024-07-01' = {
  name: 'acct/default'
  properties: {
    vmSize: 'STANDARD_D2S_V3'
    deploymentConfiguration: {
      virtualMachineConfiguration: {
        nodeAgentSkuId: 'batch.node.ubuntu 22.04'
      }
    }
    networkConfiguration: {
      subnetId: resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'closed')
    }
    targetNodeCommunicationMode: 'Default'
  }
}
