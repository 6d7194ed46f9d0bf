resource r0 'Microsoft.Network/networkSecurityGroups@2023-09-01' = {
  name: 'nsg-nic-open'
  location: 'westeurope'
  properties: {
    securityRules: [
      {
        name: 'ssh-any'
        properties: {
          priority: 100
          direction: 'Inbound'
          access: 'Allow'
          protocol: 'Tcp'
          sourceAddressPrefix: 'VirtualNetwork'
          sourcePortRange: '*'
          destinationAddressPrefix: '*'
          destinationPortRange: '22'
        }
      }
    ]
  }
}

resource r1 'Microsoft.Network/networkSecurityGroups@2023-09-01' = {
  name: 'nsg-subnet-closed'
  location: 'westeurope'
  properties: {
    securityRules: []
  }
}

resource r2 'Microsoft.Network/virtualNetworks@2023-09-01' = {
  name: 'vnet'
  location: 'westeurope'
  properties: {
    addressSpace: {
      addressPrefixes: [
        '10.0.0.0/16'
      ]
    }
    subnets: [
      {
        name: 'app'
        properties: {
          addressPrefix: '10.0.0.0/24'
          networkSecurityGroup: {
            id: resourceId('Microsoft.Network/networkSecurityGroups', 'nsg-subnet-closed')
          }
        }
      }
    ]
  }
}

resource r3 'Microsoft.Network/networkInterfaces@2023-09-01' = {
  name: 'nic-app'
  location: 'westeurope'
  properties: {
    networkSecurityGroup: {
      id: resourceId('Microsoft.Network/networkSecurityGroups', 'nsg-nic-open')
    }
    ipConfigurations: [
      {
        name: 'ipconfig'
        properties: {
          subnet: {
            id: resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'app')
          }
        }
      }
    ]
  }
}

resource r4 'Microsoft.Network/networkSecurityGroups@2023-09-01' = {
  name: 'nsg-allow-before-deny'
  location: 'westeurope'
  properties: {
    securityRules: [
      {
        name: 'deny-ssh-internet'
        properties: {
          priority: 200
          direction: 'Inbound'
          access: 'Deny'
          protocol: '*'
          sourceAddressPrefix: 'Internet'
          sourcePortRange: '*'
          destinationAddressPrefix: '*'
          destinationPortRange: '22'
        }
      }
      {
        name: 'allow-ssh-any'
        properties: {
          priority: 150
          direction: 'Inbound'
          access: 'Allow'
          protocol: '*'
          sourceAddressPrefix: 'VirtualNetwork'
          sourcePortRange: '*'
          destinationAddressPrefix: '*'
          destinationPortRange: '22'
        }
      }
    ]
  }
}

resource r5 'Microsoft.Network/networkSecurityGroups@2023-09-01' = {
  name: 'nsg-plural-fields'
  location: 'westeurope'
  properties: {
    securityRules: [
      {
        name: 'mgmt-range'
        properties: {
          priority: 100
          direction: 'INBOUND'
          access: 'allow'
          protocol: 'TCP'
          sourceAddressPrefixes: [
            '203.0.113.0/24'
            '0.0.0.0/0'
          ]
          sourcePortRange: '*'
          destinationAddressPrefix: '10.0.1.4'
          destinationPortRanges: [
            '80'
            '20-25'
          ]
        }
      }
    ]
  }
  resource r5_0 'securityRules@2023-09-01' = {
    name: 'nested-ssh'
    properties: {
      priority: 300
      direction: 'Inbound'
      access: 'Allow'
      protocol: 'Tcp'
      sourceAddressPrefix: 'VirtualNetwork'
      sourcePortRange: '*'
      destinationAddressPrefix: 'VirtualNetwork'
      destinationPortRange: '*'
    }
  }
}

resource r6 'Microsoft.Network/networkSecurityGroups/securityRules@2023-09-01' = {
  name: 'nsg-elsewhere/ssh-from-zero'
  properties: {
    priority: 120
    direction: 'Inbound'
    access: 'Allow'
    protocol: 'Tcp'
    sourceAddressPrefix: 'VirtualNetwork'
    sourcePortRange: '*'
    destinationAddressPrefix: '*'
    destinationPortRange: '22'
  }
}

resource r7 'Microsoft.Network/networkSecurityGroups@2023-09-01' = {
  name: 'nsg-deny-v4-only'
  location: 'westeurope'
  properties: {
    securityRules: [
      {
        name: 'deny-internet-v4'
        properties: {
          priority: 200
          direction: 'Inbound'
          access: 'Deny'
          protocol: '*'
          sourceAddressPrefix: '0.0.0.0/0'
          sourcePortRange: '*'
          destinationAddressPrefix: '*'
          destinationPortRange: '22'
        }
      }
      {
        name: 'allow-rest'
        properties: {
          priority: 300
          direction: 'Inbound'
          access: 'Allow'
          protocol: 'Tcp'
          sourceAddressPrefix: 'VirtualNetwork'
          sourcePortRange: '*'
          destinationAddressPrefix: '*'
          destinationPortRange: '22'
        }
      }
    ]
  }
}

resource r8 'Microsoft.Network/networkInterfaces@2023-09-01' = {
  name: 'nic-dual-stack'
  location: 'westeurope'
  properties: {
    networkSecurityGroup: {
      id: resourceId('Microsoft.Network/networkSecurityGroups', 'nsg-deny-v4-only')
    }
    ipConfigurations: [
      {
        name: 'ipconfig-v4'
        properties: {
          primary: true
          privateIPAddressVersion: 'IPv4'
          subnet: {
            id: resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet-dual', 'default')
          }
        }
      }
      {
        name: 'ipconfig-v6'
        properties: {
          privateIPAddressVersion: 'IPv6'
          subnet: {
            id: resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet-dual', 'default')
          }
        }
      }
    ]
  }
}
