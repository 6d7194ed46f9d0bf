resource r0 'Microsoft.Batch/batchAccounts@2024-07-01' = {
  name: 'acct'
  location: 'westeurope'
  properties: {}
}

resource r1 'Microsoft.Batch/batchAccounts@2024-07-01' = {
  name: 'acct-pe'
  location: 'westeurope'
  properties: {}
}

resource r2 'Microsoft.Network/networkSecurityGroups@2023-09-01' = {
  name: 'nsg-allows'
  location: 'westeurope'
  properties: {
    securityRules: [
      {
        name: 'allow-batch-out'
        properties: {
          priority: 100
          direction: 'Outbound'
          access: 'Allow'
          protocol: '*'
          sourceAddressPrefix: '*'
          sourcePortRange: '*'
          destinationAddressPrefix: 'BatchNodeManagement.westeurope'
          destinationPortRange: '443'
        }
      }
      {
        name: 'allow-storage-out'
        properties: {
          priority: 110
          direction: 'Outbound'
          access: 'Allow'
          protocol: '*'
          sourceAddressPrefix: '*'
          sourcePortRange: '*'
          destinationAddressPrefix: 'Storage.westeurope'
          destinationPortRange: '443'
        }
      }
      {
        name: 'deny-internet-out'
        properties: {
          priority: 200
          direction: 'Outbound'
          access: 'Deny'
          protocol: '*'
          sourceAddressPrefix: '*'
          sourcePortRange: '*'
          destinationAddressPrefix: 'Internet'
          destinationPortRange: '*'
        }
      }
    ]
  }
}

resource r3 'Microsoft.Network/networkSecurityGroups@2023-09-01' = {
  name: 'nsg-closed'
  location: 'westeurope'
  properties: {
    securityRules: [
      {
        name: 'deny-internet-out'
        properties: {
          priority: 100
          direction: 'Outbound'
          access: 'Deny'
          protocol: '*'
          sourceAddressPrefix: '*'
          sourcePortRange: '*'
          destinationAddressPrefix: 'Internet'
          destinationPortRange: '*'
        }
      }
    ]
  }
}

resource r4 'Microsoft.Network/virtualNetworks/subnets@2023-09-01' = {
  name: 'vnet/allows'
  properties: {
    addressPrefix: '10.0.1.0/24'
    networkSecurityGroup: {
      id: resourceId('Microsoft.Network/networkSecurityGroups', 'nsg-allows')
    }
  }
}

resource r5 'Microsoft.Network/virtualNetworks/subnets@2023-09-01' = {
  name: 'vnet/closed'
  properties: {
    addressPrefix: '10.0.2.0/24'
    networkSecurityGroup: {
      id: resourceId('Microsoft.Network/networkSecurityGroups', 'nsg-closed')
    }
  }
}

resource r6 'Microsoft.Batch/batchAccounts/pools@2024-07-01' = {
  name: 'acct/simplified'
  properties: {
    vmSize: 'STANDARD_D2S_V3'
    deploymentConfiguration: {
      virtualMachineConfiguration: {
        nodeAgentSkuId: 'batch.node.ubuntu 22.04'
      }
    }
    networkConfiguration: {
      subnetId: resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'allows')
    }
    targetNodeCommunicationMode: 'Simplified'
  }
}

resource r7 'Microsoft.Batch/batchAccounts/pools@2024-07-01' = {
  name: 'acct/classic'
  properties: {
    vmSize: 'STANDARD_D2S_V3'
    deploymentConfiguration: {
      virtualMachineConfiguration: {
        nodeAgentSkuId: 'batch.node.ubuntu 22.04'
      }
    }
    networkConfiguration: {
      subnetId: resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'allows')
    }
    targetNodeCommunicationMode: 'Classic'
  }
}

resource r8 'Microsoft.Batch/batchAccounts/pools@2024-07-01' = {
  name: 'acct/mode-absent'
  properties: {
    vmSize: 'STANDARD_D2S_V3'
    deploymentConfiguration: {
      virtualMachineConfiguration: {
        nodeAgentSkuId: 'batch.node.ubuntu 22.04'
      }
    }
    networkConfiguration: {
      subnetId: resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'allows')
    }
  }
}

resource r9 'Microsoft.Batch/batchAccounts/pools@2024-07-01' = {
  name: 'acct-pe/private'
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
    targetNodeCommunicationMode: 'Simplified'
  }
}

resource r10 'Microsoft.Network/privateEndpoints@2023-09-01' = {
  name: 'pe-node-management'
  location: 'westeurope'
  properties: {
    privateLinkServiceConnections: [
      {
        name: 'pe-node-management'
        properties: {
          privateLinkServiceId: resourceId('Microsoft.Batch/batchAccounts', 'acct-pe')
          groupIds: [
            'nodeManagement'
          ]
        }
      }
    ]
  }
}

resource r11 'Microsoft.Network/networkSecurityGroups@2023-09-01' = {
  name: 'nsg-bnm-only'
  location: 'westeurope'
  properties: {
    securityRules: [
      {
        name: 'allow-batch-out'
        properties: {
          priority: 100
          direction: 'Outbound'
          access: 'Allow'
          protocol: '*'
          sourceAddressPrefix: '*'
          sourcePortRange: '*'
          destinationAddressPrefix: 'BatchNodeManagement.westeurope'
          destinationPortRange: '443'
        }
      }
      {
        name: 'deny-internet-out'
        properties: {
          priority: 200
          direction: 'Outbound'
          access: 'Deny'
          protocol: '*'
          sourceAddressPrefix: '*'
          sourcePortRange: '*'
          destinationAddressPrefix: 'Internet'
          destinationPortRange: '*'
        }
      }
    ]
  }
}

resource r12 'Microsoft.Network/virtualNetworks/subnets@2023-09-01' = {
  name: 'vnet/bnm-only'
  properties: {
    addressPrefix: '10.0.3.0/24'
    networkSecurityGroup: {
      id: resourceId('Microsoft.Network/networkSecurityGroups', 'nsg-bnm-only')
    }
  }
}

resource r13 'Microsoft.Batch/batchAccounts/pools@2024-07-01' = {
  name: 'acct/default-no-storage'
  properties: {
    vmSize: 'STANDARD_D2S_V3'
    deploymentConfiguration: {
      virtualMachineConfiguration: {
        nodeAgentSkuId: 'batch.node.ubuntu 22.04'
      }
    }
    networkConfiguration: {
      subnetId: resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'bnm-only')
    }
    targetNodeCommunicationMode: 'Default'
  }
}

resource r14 'Microsoft.Batch/batchAccounts/pools@2024-07-01' = {
  name: 'acct/mode-absent-no-storage'
  properties: {
    vmSize: 'STANDARD_D2S_V3'
    deploymentConfiguration: {
      virtualMachineConfiguration: {
        nodeAgentSkuId: 'batch.node.ubuntu 22.04'
      }
    }
    networkConfiguration: {
      subnetId: resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'bnm-only')
    }
  }
}
