param prefix string

resource r0 'Microsoft.Network/virtualNetworks/subnets@2023-09-01' = {
  name: 'vnet/AzureBastionSubnet'
  properties: {
    addressPrefix: '10.0.1.0/26'
  }
}

resource r1 'Microsoft.Network/virtualNetworks/subnets@2023-09-01' = {
  name: 'vnet2/azurebastionsubnet'
  properties: {
    addressPrefix: '10.0.2.0/24'
  }
}

resource r2 'Microsoft.Network/virtualNetworks/subnets@2023-09-01' = {
  name: 'vnet3/AzureBastionSubnet'
  properties: {
    addressPrefix: prefix
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
            id: resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'AzureBastionSubnet')
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
            id: resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet2', 'azurebastionsubnet')
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
            id: resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet3', 'AzureBastionSubnet')
          }
          publicIPAddress: {
            id: resourceId('Microsoft.Network/publicIPAddresses', 'pip-bas3')
          }
        }
      }
    ]
  }
}

resource r6 'Microsoft.Network/bastionHosts@2023-09-01' = {
  name: 'dev'
  location: 'westeurope'
  sku: {
    name: 'Developer'
  }
  properties: {
    virtualNetwork: {
      id: resourceId('Microsoft.Network/virtualNetworks', 'vnet')
    }
  }
}

resource r7 'Microsoft.Network/virtualNetworks/subnets@2023-09-01' = {
  name: 'vnet/not-used-by-bastion'
  properties: {
    addressPrefix: '10.0.9.0/28'
  }
}
