param provisioning string

resource r0 'Microsoft.Batch/batchAccounts/pools@2024-07-01' = {
  name: 'batchacct/private'
  properties: {
    vmSize: 'STANDARD_D2S_V3'
    networkConfiguration: {
      subnetId: resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'batch')
      publicIPAddressConfiguration: {
        provision: 'NoPublicIPAddresses'
      }
    }
  }
}

resource r1 'Microsoft.Batch/batchAccounts/pools@2024-07-01' = {
  name: 'batchacct/from-parameter'
  properties: {
    vmSize: 'STANDARD_D2S_V3'
    networkConfiguration: {
      subnetId: resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'batch')
      publicIPAddressConfiguration: {
        provision: provisioning
      }
    }
  }
}
