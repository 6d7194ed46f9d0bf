param lbSku string

resource r0 'Microsoft.Network/publicIPAddresses@2023-09-01' = {
  name: 'pip-basic'
  location: 'westeurope'
  sku: {
    name: 'Standard'
  }
  properties: {
    publicIPAllocationMethod: 'Static'
  }
}

resource r1 'Microsoft.Network/loadBalancers@2023-09-01' = {
  name: 'lb-basic'
  location: 'westeurope'
  sku: {
    name: 'Standard'
    tier: 'Regional'
  }
  properties: {
    frontendIPConfigurations: [
      {
        name: 'fe'
        properties: {
          publicIPAddress: {
            id: resourceId('Microsoft.Network/publicIPAddresses', 'pip-basic')
          }
        }
      }
    ]
  }
}

resource r2 'Microsoft.Network/publicIPAddresses@2023-09-01' = {
  name: 'pip-no-sku'
  location: 'westeurope'
  properties: {
    publicIPAllocationMethod: 'Static'
  }
}

resource r3 'Microsoft.Network/loadBalancers@2023-09-01' = {
  name: 'lb-standard'
  location: 'westeurope'
  sku: {
    name: 'Standard'
  }
  properties: {}
}

resource r4 'Microsoft.Network/loadBalancers@2023-09-01' = {
  name: 'lb-unknown-sku'
  location: 'westeurope'
  sku: {
    name: lbSku
  }
  properties: {}
}
