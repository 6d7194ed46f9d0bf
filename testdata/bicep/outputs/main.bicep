// A module's outputs read by its caller: a named module and one whose deployment name is left out.
param location string = resourceGroup().location

module settings './settings.bicep' = {
  name: 'settings'
  params: {
    source: 'Internet'
  }
}

module unnamed './settings.bicep' = {
  params: {
    source: '*'
  }
}

resource nsg 'Microsoft.Network/networkSecurityGroups@2023-04-01' = {
  name: 'nsg'
  location: location
  properties: {
    securityRules: [
      {
        name: 'ssh'
        properties: {
          priority: 100
          direction: 'Inbound'
          access: 'Allow'
          protocol: 'Tcp'
          sourcePortRange: '*'
          destinationPortRange: '22'
          destinationAddressPrefix: '*'
          sourceAddressPrefix: settings.outputs.sshSource
        }
      }
      {
        name: 'rdp'
        properties: {
          priority: 110
          direction: 'Inbound'
          access: 'Allow'
          protocol: 'Tcp'
          sourcePortRange: '*'
          destinationPortRange: '3389'
          destinationAddressPrefix: '*'
          sourceAddressPrefix: unnamed.outputs.sshSource
        }
      }
    ]
  }
}
