@description('Where everything goes')
param location string = 'westeurope'
param allowedSsh string = '*'
param ports array = [
  22
  3389
]

var prefix = 'app'

resource nsg 'Microsoft.Network/networkSecurityGroups@2023-09-01' = {
  name: '${prefix}-nsg'
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
          sourceAddressPrefix: allowedSsh
          destinationAddressPrefix: '*'
        }
      }
    ]
  }
}

resource rdp 'Microsoft.Network/networkSecurityGroups/securityRules@2023-09-01' = {
  parent: nsg
  name: 'rdp'
  properties: {
    priority: 110
    direction: 'Inbound'
    access: 'Allow'
    protocol: 'Tcp'
    sourcePortRange: '*'
    destinationPortRange: '3389'
    sourceAddressPrefix: 'Internet'
    destinationAddressPrefix: '*'
  }
}

resource acct 'Microsoft.Batch/batchAccounts@2024-07-01' = {
  name: 'batch${uniqueString(resourceGroup().id)}'
  location: location
  properties: {
    publicNetworkAccess: 'Enabled'
    allowedAuthenticationModes: [
      'SharedKey'
      'AAD'
    ]
  }
}

resource vnet 'Microsoft.Network/virtualNetworks@2023-09-01' = {
  name: 'vnet'
  location: location
  properties: {
    addressSpace: { addressPrefixes: ['10.0.0.0/16'] }
    subnets: [for (p, i) in ports: {
      name: 'sn${i}'
      properties: {
        addressPrefix: '10.0.${i}.0/24'
        networkSecurityGroup: { id: nsg.id }
      }
    }]
  }
}

module inner './inner.bicep' = {
  name: 'inner'
  params: {
    workspaceName: 'ws-${prefix}'
  }
}
