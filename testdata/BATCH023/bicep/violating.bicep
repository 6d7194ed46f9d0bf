param poolApiVersion string

resource r0 'Microsoft.Batch/batchAccounts/pools@2024-07-01' = {
  name: 'batchacct/classic'
  properties: {
    vmSize: 'STANDARD_D2S_V3'
    targetNodeCommunicationMode: 'Classic'
    networkConfiguration: {
      publicIPAddressConfiguration: {
        provision: 'NoPublicIPAddresses'
      }
      subnetId: '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet/subnets/batch'
    }
  }
}

// batchacct/classic-unknown-api: an API version from an expression cannot be written in Bicep

resource r2 'Microsoft.Batch/batchAccounts/pools@2025-06-01' = {
  name: 'batchacct/removed-property'
  properties: {
    vmSize: 'STANDARD_D2S_V3'
    targetNodeCommunicationMode: 'Simplified'
    networkConfiguration: {
      publicIPAddressConfiguration: {
        provision: 'NoPublicIPAddresses'
      }
      subnetId: '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet/subnets/batch'
    }
  }
}

resource r3 'Microsoft.Batch/batchAccounts/pools@2025-06-01' = {
  name: 'batchacct/removed-property-default'
  properties: {
    vmSize: 'STANDARD_D2S_V3'
    targetNodeCommunicationMode: 'Default'
    networkConfiguration: {
      publicIPAddressConfiguration: {
        provision: 'NoPublicIPAddresses'
      }
      subnetId: '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet/subnets/batch'
    }
  }
}
