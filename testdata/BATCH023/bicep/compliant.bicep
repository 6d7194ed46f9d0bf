param poolApiVersion string

param mode string

resource r0 'Microsoft.Batch/batchAccounts/pools@2024-07-01' = {
  name: 'batchacct/simplified'
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

resource r1 'Microsoft.Batch/batchAccounts/pools@2022-10-01' = {
  name: 'batchacct/simplified-legacy-api'
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

resource r2 'Microsoft.Batch/batchAccounts/pools@2024-07-01' = {
  name: 'batchacct/default-current-api'
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

resource r3 'Microsoft.Batch/batchAccounts/pools@2023-05-01' = {
  name: 'batchacct/absent-legacy-api'
  properties: {
    vmSize: 'STANDARD_D2S_V3'
    networkConfiguration: {
      publicIPAddressConfiguration: {
        provision: 'NoPublicIPAddresses'
      }
      subnetId: '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet/subnets/batch'
    }
  }
}

resource r4 'Microsoft.Batch/batchAccounts/pools@2025-06-01' = {
  name: 'batchacct/absent-new-api'
  properties: {
    vmSize: 'STANDARD_D2S_V3'
    networkConfiguration: {
      publicIPAddressConfiguration: {
        provision: 'NoPublicIPAddresses'
      }
      subnetId: '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet/subnets/batch'
    }
  }
}

// batchacct/default-unknown-api: an API version from an expression cannot be written in Bicep

// batchacct/absent-unknown-api: an API version from an expression cannot be written in Bicep

resource r7 'Microsoft.Batch/batchAccounts/pools@2024-07-01' = {
  name: 'batchacct/mode-from-parameter'
  properties: {
    vmSize: 'STANDARD_D2S_V3'
    targetNodeCommunicationMode: mode
    networkConfiguration: {
      publicIPAddressConfiguration: {
        provision: 'NoPublicIPAddresses'
      }
      subnetId: '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet/subnets/batch'
    }
  }
}
