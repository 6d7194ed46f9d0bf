resource r0 'Microsoft.MachineLearningServices/workspaces@2024-04-01' = {
  name: 'ws-hbi'
  location: 'westeurope'
  properties: {
    publicNetworkAccess: 'Disabled'
    hbiWorkspace: true
  }
}

resource r1 'Microsoft.MachineLearningServices/workspaces@2024-04-01' = {
  name: 'ws-normal'
  location: 'westeurope'
  properties: {
    publicNetworkAccess: 'Disabled'
    hbiWorkspace: false
  }
}

resource r2 'Microsoft.Network/networkSecurityGroups@2023-09-01' = {
  name: 'nsg-kv'
  location: 'westeurope'
  properties: {
    securityRules: [
      {
        name: 'allow-keyvault'
        properties: {
          priority: 100
          direction: 'Outbound'
          access: 'Allow'
          protocol: 'Tcp'
          sourceAddressPrefix: '*'
          sourcePortRange: '*'
          destinationAddressPrefix: 'AzureKeyVault.westeurope'
          destinationPortRange: '443'
        }
      }
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

resource r3 'Microsoft.Network/networkSecurityGroups@2023-09-01' = {
  name: 'nsg-alias'
  location: 'westeurope'
  properties: {
    securityRules: [
      {
        name: 'allow-keyvault'
        properties: {
          priority: 100
          direction: 'Outbound'
          access: 'Allow'
          protocol: 'Tcp'
          sourceAddressPrefix: '*'
          sourcePortRange: '*'
          destinationAddressPrefix: 'Keyvault.WestEurope'
          destinationPortRange: '443'
        }
      }
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

resource r4 'Microsoft.Network/networkSecurityGroups@2023-09-01' = {
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

resource r5 'Microsoft.Network/virtualNetworks/subnets@2023-09-01' = {
  name: 'vnet/kv'
  properties: {
    addressPrefix: '10.0.1.0/24'
    networkSecurityGroup: {
      id: resourceId('Microsoft.Network/networkSecurityGroups', 'nsg-kv')
    }
  }
}

resource r6 'Microsoft.Network/virtualNetworks/subnets@2023-09-01' = {
  name: 'vnet/alias'
  properties: {
    addressPrefix: '10.0.2.0/24'
    networkSecurityGroup: {
      id: resourceId('Microsoft.Network/networkSecurityGroups', 'nsg-alias')
    }
  }
}

resource r7 'Microsoft.Network/virtualNetworks/subnets@2023-09-01' = {
  name: 'vnet/closed'
  properties: {
    addressPrefix: '10.0.3.0/24'
    networkSecurityGroup: {
      id: resourceId('Microsoft.Network/networkSecurityGroups', 'nsg-closed')
    }
  }
}

resource r8 'Microsoft.MachineLearningServices/workspaces/computes@2024-04-01' = {
  name: 'ws-hbi/cluster'
  location: 'westeurope'
  properties: {
    computeType: 'AmlCompute'
    properties: {
      vmSize: 'STANDARD_DS3_V2'
      subnet: {
        id: resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'kv')
      }
      enableNodePublicIp: false
    }
  }
}

resource r9 'Microsoft.MachineLearningServices/workspaces/computes@2024-04-01' = {
  name: 'ws-hbi/alias'
  location: 'westeurope'
  properties: {
    computeType: 'AmlCompute'
    properties: {
      vmSize: 'STANDARD_DS3_V2'
      subnet: {
        id: resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'alias')
      }
      enableNodePublicIp: false
    }
  }
}

resource r10 'Microsoft.MachineLearningServices/workspaces/computes@2024-04-01' = {
  name: 'ws-normal/not-hbi'
  location: 'westeurope'
  properties: {
    computeType: 'AmlCompute'
    properties: {
      vmSize: 'STANDARD_DS3_V2'
      subnet: {
        id: resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'closed')
      }
      enableNodePublicIp: false
    }
  }
}
