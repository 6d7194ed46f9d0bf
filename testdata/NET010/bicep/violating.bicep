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

resource r2 'Microsoft.Network/networkSecurityGroups@2023-09-01' = {
  name: 'nsg-open-batch'
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
          sourceAddressPrefix: '*'
          sourcePortRange: '*'
          destinationAddressPrefix: '*'
          destinationPortRange: '29876-29877'
        }
      }
    ]
  }
}

resource r3 'Microsoft.Network/networkSecurityGroups@2023-09-01' = {
  name: 'nsg-open-ml'
  location: 'westeurope'
  properties: {
    securityRules: [
      {
        name: 'open-aml'
        properties: {
          priority: 110
          direction: 'Inbound'
          access: 'Allow'
          protocol: 'Tcp'
          sourceAddressPrefixes: [
            '10.0.0.0/8'
            'Internet'
          ]
          sourcePortRange: '*'
          destinationAddressPrefix: '*'
          destinationPortRange: '44224'
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
  name: 'nsg-one-port'
  location: 'westeurope'
  properties: {
    securityRules: [
      {
        name: 'agent-port'
        properties: {
          priority: 120
          direction: 'Inbound'
          access: 'Allow'
          protocol: 'Tcp'
          sourceAddressPrefix: '0.0.0.0/0'
          sourcePortRange: '*'
          destinationAddressPrefix: '*'
          destinationPortRange: '29877'
        }
      }
    ]
  }
}

resource r5 'Microsoft.Network/virtualNetworks/subnets@2023-09-01' = {
  name: 'vnet/batch'
  properties: {
    addressPrefix: '10.0.1.0/24'
    networkSecurityGroup: {
      id: resourceId('Microsoft.Network/networkSecurityGroups', 'nsg-open-batch')
    }
  }
}

resource r6 'Microsoft.Network/virtualNetworks/subnets@2023-09-01' = {
  name: 'vnet/training'
  properties: {
    addressPrefix: '10.0.2.0/24'
    networkSecurityGroup: {
      id: resourceId('Microsoft.Network/networkSecurityGroups', 'nsg-open-ml')
    }
  }
}

resource r7 'Microsoft.Network/virtualNetworks/subnets@2023-09-01' = {
  name: 'vnet/classic'
  properties: {
    addressPrefix: '10.0.3.0/24'
    networkSecurityGroup: {
      id: resourceId('Microsoft.Network/networkSecurityGroups', 'nsg-one-port')
    }
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
      subnetId: resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'batch')
    }
  }
}

resource r9 'Microsoft.Batch/batchAccounts/pools@2024-07-01' = {
  name: 'acct/private'
  properties: {
    vmSize: 'STANDARD_D2S_V3'
    deploymentConfiguration: {
      virtualMachineConfiguration: {
        nodeAgentSkuId: 'batch.node.ubuntu 22.04'
      }
    }
    networkConfiguration: {
      subnetId: resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'batch')
      publicIPAddressConfiguration: {
        provision: 'NoPublicIPAddresses'
      }
    }
  }
}

resource r10 'Microsoft.Batch/batchAccounts/pools@2024-07-01' = {
  name: 'acct/classic'
  properties: {
    vmSize: 'STANDARD_D2S_V3'
    deploymentConfiguration: {
      virtualMachineConfiguration: {
        nodeAgentSkuId: 'batch.node.ubuntu 22.04'
      }
    }
    networkConfiguration: {
      subnetId: resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'classic')
    }
    targetNodeCommunicationMode: 'Classic'
  }
}

resource r11 'Microsoft.MachineLearningServices/workspaces/computes@2024-04-01' = {
  name: 'ws/cluster'
  location: 'westeurope'
  properties: {
    computeType: 'AmlCompute'
    properties: {
      vmSize: 'STANDARD_DS3_V2'
      subnet: {
        id: resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'training')
      }
    }
  }
}

resource r12 'Microsoft.MachineLearningServices/workspaces/computes@2024-04-01' = {
  name: 'ws/instance'
  location: 'westeurope'
  properties: {
    computeType: 'ComputeInstance'
    properties: {
      vmSize: 'STANDARD_DS3_V2'
      subnet: {
        id: resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'training')
      }
    }
  }
}

// A dual-stack pool: the Deny of `0.0.0.0/0` closes the IPv4 internet only, and the IPv6
// internet reaches the management ports through the Allow of `*`.
resource r13 'Microsoft.Network/networkSecurityGroups@2023-09-01' = {
  name: 'nsg-ipv4-only-deny'
  location: 'westeurope'
  properties: {
    securityRules: [
      {
        name: 'deny-ipv4-internet'
        properties: {
          priority: 100
          direction: 'Inbound'
          access: 'Deny'
          protocol: '*'
          sourceAddressPrefix: '0.0.0.0/0'
          sourcePortRange: '*'
          destinationAddressPrefix: '*'
          destinationPortRange: '29876-29877'
        }
      }
      {
        name: 'open-mgmt-v6'
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

resource r14 'Microsoft.Network/virtualNetworks/subnets@2023-09-01' = {
  name: 'vnet/dual-stack'
  properties: {
    addressPrefix: '10.0.4.0/24'
    networkSecurityGroup: {
      id: r13.id
    }
  }
}

resource r15 'Microsoft.Batch/batchAccounts/pools@2024-07-01' = {
  name: 'acct/dual-stack'
  properties: {
    vmSize: 'STANDARD_D2S_V3'
    deploymentConfiguration: {
      virtualMachineConfiguration: {
        nodeAgentSkuId: 'batch.node.ubuntu 22.04'
      }
    }
    networkConfiguration: {
      subnetId: r14.id
      publicIPAddressConfiguration: {
        provision: 'BatchManaged'
        ipFamilies: ['IPv4', 'IPv6']
      }
    }
  }
}
