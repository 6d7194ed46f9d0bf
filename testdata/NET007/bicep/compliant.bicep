param direction string

param access string

param protocol string

param port string

param priority int

resource r0 'Microsoft.Network/networkSecurityGroups@2023-09-01' = {
  name: 'nsg-valid'
  location: 'westeurope'
  properties: {
    securityRules: [
      {
        name: 'lowest'
        properties: {
          priority: 100
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
        name: 'highest'
        properties: {
          priority: 4096
          direction: 'Inbound'
          access: 'Deny'
          protocol: '*'
          sourceAddressPrefix: '*'
          sourcePortRange: '*'
          destinationAddressPrefix: '*'
          destinationPortRange: '*'
        }
      }
      {
        name: 'same-priority-other-direction'
        properties: {
          priority: 100
          direction: 'Outbound'
          access: 'Allow'
          protocol: 'Tcp'
          sourceAddressPrefix: '10.0.0.0/8'
          sourcePortRange: '*'
          destinationAddressPrefix: 'Storage.WestEurope'
          destinationPortRange: '443'
        }
      }
      {
        name: 'plural-cidrs'
        properties: {
          priority: 110
          direction: 'Inbound'
          access: 'Allow'
          protocol: 'Tcp'
          sourcePortRange: '*'
          destinationAddressPrefix: '*'
          sourceAddressPrefixes: [
            '10.1.0.0/16'
            '192.168.1.4'
          ]
          destinationPortRanges: [
            '0'
            '65535'
            '8000-8999'
            '*'
          ]
        }
      }
      {
        name: 'numbers-and-lowercase'
        properties: {
          priority: '120'
          direction: 'inbound'
          access: 'deny'
          protocol: 'icmp'
          sourceAddressPrefix: '10.0.0.0/8'
          sourcePortRange: '*'
          destinationAddressPrefix: '*'
          destinationPortRange: 22
        }
      }
      {
        name: 'esp'
        properties: {
          priority: 130
          direction: 'Inbound'
          access: 'Allow'
          protocol: 'Esp'
          sourceAddressPrefix: '10.0.0.0/8'
          sourcePortRange: '*'
          destinationAddressPrefix: '*'
          destinationPortRange: '443'
        }
      }
      {
        name: 'ah'
        properties: {
          priority: 140
          direction: 'Inbound'
          access: 'Allow'
          protocol: 'Ah'
          sourceAddressPrefix: '10.0.0.0/8'
          sourcePortRange: '*'
          destinationAddressPrefix: '*'
          destinationPortRange: '443'
        }
      }
      {
        name: 'asgs'
        properties: {
          priority: 150
          direction: 'Inbound'
          access: 'Allow'
          protocol: 'Tcp'
          sourcePortRange: '*'
          destinationPortRange: '443'
          sourceApplicationSecurityGroups: [
            {
              id: resourceId('Microsoft.Network/applicationSecurityGroups', 'web')
            }
          ]
          destinationApplicationSecurityGroups: [
            {
              id: resourceId('Microsoft.Network/applicationSecurityGroups', 'db')
            }
          ]
        }
      }
      {
        name: 'exported'
        properties: {
          priority: 160
          direction: 'Inbound'
          access: 'Allow'
          protocol: 'Tcp'
          sourceAddressPrefix: '10.0.0.0/8'
          sourcePortRange: '*'
          destinationAddressPrefix: '*'
          destinationPortRange: '443'
          sourceAddressPrefixes: []
          sourcePortRanges: []
          destinationAddressPrefixes: []
          destinationPortRanges: []
        }
      }
      {
        name: 'from-parameters'
        properties: {
          priority: priority
          direction: direction
          access: access
          protocol: protocol
          sourceAddressPrefix: '10.0.0.0/8'
          sourcePortRange: '*'
          destinationAddressPrefix: '*'
          destinationPortRange: port
        }
      }
      {
        name: 'same-unknown-priority'
        properties: {
          priority: priority
          direction: 'Inbound'
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
}
