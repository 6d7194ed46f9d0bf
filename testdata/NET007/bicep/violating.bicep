resource r0 'Microsoft.Network/networkSecurityGroups@2023-09-01' = {
  name: 'nsg-priorities'
  location: 'westeurope'
  properties: {
    securityRules: [
      {
        name: 'too-low'
        properties: {
          priority: 50
          direction: 'Inbound'
          access: 'Allow'
          protocol: 'Tcp'
          sourceAddressPrefix: '10.0.0.0/8'
          sourcePortRange: '*'
          destinationAddressPrefix: '*'
          destinationPortRange: '443'
        }
      }
      {
        name: 'too-high'
        properties: {
          priority: 5000
          direction: 'Inbound'
          access: 'Allow'
          protocol: 'Tcp'
          sourceAddressPrefix: '10.0.0.0/8'
          sourcePortRange: '*'
          destinationAddressPrefix: '*'
          destinationPortRange: '443'
        }
      }
      {
        name: 'first-200'
        properties: {
          priority: 200
          direction: 'Inbound'
          access: 'Allow'
          protocol: 'Tcp'
          sourceAddressPrefix: '10.0.0.0/8'
          sourcePortRange: '*'
          destinationAddressPrefix: '*'
          destinationPortRange: '443'
        }
      }
      {
        name: 'second-200'
        properties: {
          priority: 200
          direction: 'Inbound'
          access: 'Deny'
          protocol: 'Tcp'
          sourceAddressPrefix: '192.168.0.0/16'
          sourcePortRange: '*'
          destinationAddressPrefix: '*'
          destinationPortRange: '443'
        }
      }
      {
        name: 'outbound-200'
        properties: {
          priority: 200
          direction: 'Outbound'
          access: 'Allow'
          protocol: 'Tcp'
          sourceAddressPrefix: '10.0.0.0/8'
          sourcePortRange: '*'
          destinationAddressPrefix: '*'
          destinationPortRange: '443'
        }
      }
    ]
  }
  resource r0_0 'securityRules@2023-09-01' = {
    name: 'child-300'
    properties: {
      priority: 300
      direction: 'Inbound'
      access: 'Allow'
      protocol: 'Tcp'
      sourceAddressPrefix: '10.0.0.0/8'
      sourcePortRange: '*'
      destinationAddressPrefix: '*'
      destinationPortRange: '443'
    }
  }
}

resource r1 'Microsoft.Network/networkSecurityGroups/securityRules@2023-09-01' = {
  name: 'nsg-priorities/top-level-300'
  properties: {
    priority: 300
    direction: 'Inbound'
    access: 'Deny'
    protocol: 'Tcp'
    sourceAddressPrefix: '10.0.0.0/8'
    sourcePortRange: '*'
    destinationAddressPrefix: '*'
    destinationPortRange: '443'
  }
}

resource r2 'Microsoft.Network/networkSecurityGroups@2023-09-01' = {
  name: 'nsg-forms'
  location: 'westeurope'
  properties: {
    securityRules: [
      {
        name: 'both-source-forms'
        properties: {
          priority: 100
          direction: 'Inbound'
          access: 'Allow'
          protocol: 'Tcp'
          sourceAddressPrefix: '10.0.0.0/8'
          sourcePortRange: '*'
          destinationAddressPrefix: '*'
          destinationPortRange: '443'
          sourceAddressPrefixes: [
            '10.1.0.0/16'
            '10.2.0.0/16'
          ]
        }
      }
      {
        name: 'both-port-forms'
        properties: {
          priority: 110
          direction: 'Inbound'
          access: 'Allow'
          protocol: 'Tcp'
          sourceAddressPrefix: '10.0.0.0/8'
          sourcePortRange: '*'
          destinationAddressPrefix: '*'
          destinationPortRange: '443'
          destinationPortRanges: [
            '80'
            '443'
          ]
        }
      }
      {
        name: 'tag-in-plural'
        properties: {
          priority: 120
          direction: 'Outbound'
          access: 'Allow'
          protocol: 'Tcp'
          sourceAddressPrefix: '10.0.0.0/8'
          sourcePortRange: '*'
          destinationPortRange: '443'
          destinationAddressPrefixes: [
            '10.9.0.0/16'
            'Storage.WestEurope'
          ]
        }
      }
      {
        name: 'bad-ports'
        properties: {
          priority: 130
          direction: 'Inbound'
          access: 'Allow'
          protocol: 'Tcp'
          sourceAddressPrefix: '10.0.0.0/8'
          sourcePortRange: 'any'
          destinationAddressPrefix: '*'
          destinationPortRanges: [
            '8080'
            '70000'
            '90-80'
          ]
        }
      }
      {
        name: 'list-in-singular'
        properties: {
          priority: 140
          direction: 'Inbound'
          access: 'Allow'
          protocol: 'Tcp'
          sourceAddressPrefix: '10.0.0.0/8,192.168.0.0/16'
          sourcePortRange: '*'
          destinationAddressPrefix: '*'
          destinationPortRange: '22,24'
        }
      }
      {
        name: 'bad-enums'
        properties: {
          priority: 150
          direction: 'Inbond'
          access: 'Permit'
          protocol: 'Gre'
          sourceAddressPrefix: '10.0.0.0/8'
          sourcePortRange: '*'
          destinationAddressPrefix: '*'
          destinationPortRange: '443'
        }
      }
    ]
  }
}

resource r3 'Microsoft.Network/networkSecurityGroups@2023-09-01' = {
  name: 'nsg-absent'
  location: 'westeurope'
  properties: {
    securityRules: [
      {
        name: 'nothing-but-a-name'
        properties: {}
      }
      {
        name: 'null-fields'
        properties: {
          priority: null
          direction: 'Inbound'
          access: 'Allow'
          sourcePortRange: '*'
          destinationAddressPrefix: '*'
          protocol: null
          destinationPortRange: null
        }
      }
    ]
  }
}
