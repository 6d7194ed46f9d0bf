resource r0 'Microsoft.Network/networkSecurityGroups@2023-09-01' = {
  name: 'nsg-allow-before-deny'
  location: 'westeurope'
  properties: {
    securityRules: [
      {
        name: 'allow-ssh'
        properties: {
          priority: 150
          direction: 'Inbound'
          access: 'Allow'
          protocol: '*'
          sourceAddressPrefix: '*'
          sourcePortRange: '*'
          destinationAddressPrefix: '*'
          destinationPortRange: '22'
        }
      }
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
    ]
  }
}

resource r1 'Microsoft.Network/networkSecurityGroups@2023-09-01' = {
  name: 'nsg-outbound'
  location: 'westeurope'
  properties: {
    securityRules: [
      {
        name: 'deny-storage'
        properties: {
          priority: 100
          direction: 'Outbound'
          access: 'Deny'
          protocol: '*'
          sourceAddressPrefix: '*'
          sourcePortRange: '*'
          destinationAddressPrefix: 'Storage'
          destinationPortRange: '*'
        }
      }
      {
        name: 'allow-storage-we'
        properties: {
          priority: 200
          direction: 'Outbound'
          access: 'Allow'
          protocol: 'Tcp'
          sourceAddressPrefix: 'VirtualNetwork'
          sourcePortRange: '*'
          destinationAddressPrefix: 'Storage.westeurope'
          destinationPortRange: '443'
        }
      }
      {
        name: 'deny-all-out'
        properties: {
          priority: 4000
          direction: 'Outbound'
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
  name: 'nsg-cidrs'
  location: 'westeurope'
  properties: {
    securityRules: [
      {
        name: 'allow-corp'
        properties: {
          priority: 100
          direction: 'Inbound'
          access: 'Allow'
          protocol: '*'
          sourceAddressPrefixes: [
            '10.0.0.0/8'
            '192.168.0.0/16'
          ]
          sourcePortRange: '*'
          destinationAddressPrefix: '*'
          destinationPortRange: '0-1023'
        }
      }
      {
        name: 'deny-v6'
        properties: {
          priority: 110
          direction: 'Inbound'
          access: 'Deny'
          protocol: '*'
          sourceAddressPrefix: '::/0'
          sourcePortRange: '*'
          destinationAddressPrefix: '*'
          destinationPortRange: '*'
        }
      }
      {
        name: 'allow-v6-https'
        properties: {
          priority: 120
          direction: 'Inbound'
          access: 'Allow'
          protocol: 'Tcp'
          sourceAddressPrefixes: [
            '2001:db8::/32'
          ]
          sourcePortRange: '*'
          destinationAddressPrefix: '*'
          destinationPortRanges: [
            '443'
            '8443'
          ]
        }
      }
    ]
  }
}

resource r3 'Microsoft.Network/networkSecurityGroups/securityRules@2023-09-01' = {
  name: 'nsg-cidrs/deny-lab-ssh'
  properties: {
    priority: 300
    direction: 'Inbound'
    access: 'Deny'
    protocol: 'Tcp'
    sourceAddressPrefix: '10.20.0.0/16'
    sourcePortRange: '1024-65535'
    destinationAddressPrefix: '10.0.1.4'
    destinationPortRange: '22'
  }
}
