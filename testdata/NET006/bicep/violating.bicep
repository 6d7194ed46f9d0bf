param prefix string

resource r0 'Microsoft.Network/virtualNetworks/subnets@2023-09-01' = {
  name: 'vnet/bastion'
  properties: {
    addressPrefix: '10.0.1.0/27'
  }
}

resource r1 'Microsoft.Network/virtualNetworks/subnets@2023-09-01' = {
  name: 'vnet/AzureBastionSubnet'
  properties: {
    addressPrefix: '10.0.2.0/28'
  }
}

resource r2 'Microsoft.Network/virtualNetworks@2023-09-01' = {
  name: 'vnet2'
  location: 'westeurope'
  properties: {
    addressSpace: {
      addressPrefixes: [
        '10.1.0.0/16'
      ]
    }
    subnets: [
      {
        name: 'jump'
        properties: {
          addressPrefixes: [
            '10.1.0.0/26'
          ]
        }
      }
    ]
  }
}

resource r3 'Microsoft.Network/bastionHosts@2023-09-01' = {
  name: 'bas1'
  location: 'westeurope'
  properties: {
    ipConfigurations: [
      {
        name: 'ipconfig'
        properties: {
          subnet: {
            id: resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'bastion')
          }
          publicIPAddress: {
            id: resourceId('Microsoft.Network/publicIPAddresses', 'pip-bas1')
          }
        }
      }
    ]
  }
}

resource r4 'Microsoft.Network/bastionHosts@2023-09-01' = {
  name: 'bas2'
  location: 'westeurope'
  properties: {
    ipConfigurations: [
      {
        name: 'ipconfig'
        properties: {
          subnet: {
            id: resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'AzureBastionSubnet')
          }
          publicIPAddress: {
            id: resourceId('Microsoft.Network/publicIPAddresses', 'pip-bas2')
          }
        }
      }
    ]
  }
}

resource r5 'Microsoft.Network/bastionHosts@2023-09-01' = {
  name: 'bas3'
  location: 'westeurope'
  properties: {
    ipConfigurations: [
      {
        name: 'ipconfig'
        properties: {
          subnet: {
            id: resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet2', 'jump')
          }
          publicIPAddress: {
            id: resourceId('Microsoft.Network/publicIPAddresses', 'pip-bas3')
          }
        }
      }
    ]
  }
}
