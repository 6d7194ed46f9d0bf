resource r0 'Microsoft.MachineLearningServices/workspaces@2024-04-01' = {
  name: 'ws-hbi'
  location: 'westeurope'
  properties: {
    publicNetworkAccess: 'Disabled'
    hbiWorkspace: true
  }
}

resource r1 'Microsoft.Network/networkSecurityGroups@2023-09-01' = {
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

resource r2 'Microsoft.Network/networkSecurityGroups@2023-09-01' = {
  name: 'nsg-other-region'
  location: 'westeurope'
  properties: {
    securityRules: [
      {
        name: 'allow-keyvault-eastus'
        properties: {
          priority: 100
          direction: 'Outbound'
          access: 'Allow'
          protocol: 'Tcp'
          sourceAddressPrefix: '*'
          sourcePortRange: '*'
          destinationAddressPrefix: 'AzureKeyVault.eastus'
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

resource r3 'Microsoft.Network/virtualNetworks/subnets@2023-09-01' = {
  name: 'vnet/closed'
  properties: {
    addressPrefix: '10.0.1.0/24'
    networkSecurityGroup: {
      id: resourceId('Microsoft.Network/networkSecurityGroups', 'nsg-closed')
    }
  }
}

resource r4 'Microsoft.Network/virtualNetworks/subnets@2023-09-01' = {
  name: 'vnet/other-region'
  properties: {
    addressPrefix: '10.0.2.0/24'
    networkSecurityGroup: {
      id: resourceId('Microsoft.Network/networkSecurityGroups', 'nsg-other-region')
    }
  }
}

resource r5 'Microsoft.MachineLearningServices/workspaces/computes@2024-04-01' = {
  name: 'ws-hbi/cluster'
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

resource r6 'Microsoft.MachineLearningServices/workspaces/computes@2024-04-01' = {
  name: 'ws-hbi/instance'
  location: 'westeurope'
  properties: {
    computeType: 'ComputeInstance'
    properties: {
      vmSize: 'STANDARD_DS3_V2'
      subnet: {
        id: resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'other-region')
      }
      enableNodePublicIp: false
    }
  }
}
