resource r0 'Microsoft.Batch/batchAccounts/pools@2024-07-01' = {
  name: 'batchacct/default-network'
  properties: {
    vmSize: 'STANDARD_D2S_V3'
  }
}

resource r1 'Microsoft.Batch/batchAccounts/pools@2024-07-01' = {
  name: 'batchacct/exposed'
  properties: {
    vmSize: 'STANDARD_D2S_V3'
    networkConfiguration: {
      publicIPAddressConfiguration: {
        provision: 'BatchManaged'
      }
      endpointConfiguration: {
        inboundNatPools: [
          {
            name: 'ssh'
            protocol: 'TCP'
            backendPort: 22
            frontendPortRangeStart: 4000
            frontendPortRangeEnd: 4100
          }
        ]
      }
    }
  }
}

resource r2 'Microsoft.Batch/batchAccounts/pools@2024-07-01' = {
  name: 'batchacct/static-ips'
  properties: {
    vmSize: 'STANDARD_D2S_V3'
    networkConfiguration: {
      subnetId: resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'batch')
      publicIPAddressConfiguration: {
        provision: 'NoPublicIPAddresses'
        ipAddressIds: [
          resourceId('Microsoft.Network/publicIPAddresses', 'pip1')
        ]
      }
    }
  }
}
