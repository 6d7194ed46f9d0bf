// Standard SKU, which Azure still deploys.
resource pip 'Microsoft.Network/publicIPAddresses@2023-09-01' = {
  name: 'pip-standard'
  location: 'westeurope'
  sku: {
    name: 'Standard'
  }
  properties: {
    publicIPAllocationMethod: 'Static'
  }
}

resource lb 'Microsoft.Network/loadBalancers@2023-09-01' = {
  name: 'lb-standard'
  location: 'westeurope'
  sku: {
    name: 'Standard'
  }
  properties: {}
}
