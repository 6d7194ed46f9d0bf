resource r0 'Microsoft.Network/networkSecurityGroups@2023-09-01' = {
  name: 'nsg-rdp'
  location: 'westeurope'
  properties: {
    securityRules: [
      {
        name: 'rdp-from-anywhere'
        properties: {
          priority: 100
          direction: 'Inbound'
          access: 'Allow'
          protocol: '*'
          sourceAddressPrefix: 'VirtualNetwork'
          sourcePortRange: '*'
          destinationAddressPrefix: '*'
          destinationPortRange: '3389'
        }
      }
    ]
  }
}

resource r1 'Microsoft.Network/networkSecurityGroups@2023-09-01' = {
  name: 'nsg-rdp-range'
  location: 'westeurope'
  properties: {
    securityRules: [
      {
        name: 'wide-range'
        properties: {
          priority: 200
          direction: 'Inbound'
          access: 'Allow'
          protocol: 'Tcp'
          sourceAddressPrefixes: [
            '10.0.0.0/8'
            'internet'
          ]
          sourcePortRange: '*'
          destinationAddressPrefix: '*'
          destinationPortRange: '3000-4000'
        }
      }
    ]
  }
}

resource r2 'Microsoft.Network/networkSecurityGroups@2023-09-01' = {
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
          destinationPortRange: '3389'
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
          destinationPortRange: '3389'
        }
      }
    ]
  }
}

resource r3 'Microsoft.Compute/virtualMachineScaleSets@2023-09-01' = {
  name: 'vmss-dual-stack'
  location: 'westeurope'
  sku: {
    name: 'Standard_D2s_v3'
    capacity: 2
  }
  properties: {
    virtualMachineProfile: {
      networkProfile: {
        networkInterfaceConfigurations: [
          {
            name: 'nic'
            properties: {
              primary: true
              networkSecurityGroup: {
                id: resourceId('Microsoft.Network/networkSecurityGroups', 'nsg-deny-v4-only')
              }
              ipConfigurations: [
                {
                  name: 'ipconfig-v4'
                  properties: {
                    primary: true
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
        ]
      }
    }
  }
}

// Azure Verified Modules write every rule with both forms of each field, leaving the unused one
// empty: an empty singular field beside its plural one is not set.
resource r4 'Microsoft.Network/networkSecurityGroups@2023-09-01' = {
  name: 'nsg-rdp-both-forms'
  location: 'westeurope'
  properties: {
    securityRules: [
      {
        name: 'management'
        properties: {
          priority: 300
          direction: 'Inbound'
          access: 'Allow'
          protocol: 'Tcp'
          sourceAddressPrefix: 'VirtualNetwork'
          sourcePortRange: '*'
          sourcePortRanges: []
          destinationAddressPrefix: '*'
          destinationAddressPrefixes: []
          destinationPortRange: ''
          destinationPortRanges: [
            '443'
            '3389'
          ]
        }
      }
    ]
  }
}
