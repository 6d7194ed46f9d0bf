resource r0 'Microsoft.Batch/batchAccounts/pools@2024-07-01' = {
  name: 'batchacct/no-public-ips-with-endpoints'
  properties: {
    vmSize: 'STANDARD_D2S_V3'
    targetNodeCommunicationMode: 'Simplified'
    networkConfiguration: {
      subnetId: '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet/subnets/batch'
      publicIPAddressConfiguration: {
        provision: 'NoPublicIPAddresses'
      }
      endpointConfiguration: {
        inboundNatPools: [
          {
            name: 'app'
            protocol: 'TCP'
            backendPort: 8080
            frontendPortRangeStart: 4000
            frontendPortRangeEnd: 4100
            networkSecurityGroupRules: [
              {
                priority: 170
                access: 'Deny'
                sourceAddressPrefix: '*'
              }
            ]
          }
        ]
      }
    }
  }
}

resource r1 'Microsoft.Batch/batchAccounts/pools@2024-07-01' = {
  name: 'batchacct/batch-managed-with-ips'
  properties: {
    vmSize: 'STANDARD_D2S_V3'
    targetNodeCommunicationMode: 'Simplified'
    networkConfiguration: {
      publicIPAddressConfiguration: {
        provision: 'BatchManaged'
        ipAddressIds: [
          '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Network/publicIPAddresses/pip1'
        ]
      }
    }
  }
}

resource r2 'Microsoft.Batch/batchAccounts/pools@2024-07-01' = {
  name: 'batchacct/default-provision-with-ips'
  properties: {
    vmSize: 'STANDARD_D2S_V3'
    targetNodeCommunicationMode: 'Simplified'
    networkConfiguration: {
      publicIPAddressConfiguration: {
        ipAddressIds: [
          '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Network/publicIPAddresses/pip1'
        ]
      }
    }
  }
}

resource r3 'Microsoft.Batch/batchAccounts/pools@2024-07-01' = {
  name: 'batchacct/no-public-ips-with-ips'
  properties: {
    vmSize: 'STANDARD_D2S_V3'
    targetNodeCommunicationMode: 'Simplified'
    networkConfiguration: {
      subnetId: '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet/subnets/batch'
      publicIPAddressConfiguration: {
        provision: 'NoPublicIPAddresses'
        ipAddressIds: [
          '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Network/publicIPAddresses/pip1'
        ]
      }
    }
  }
}

resource r4 'Microsoft.Batch/batchAccounts/pools@2024-07-01' = {
  name: 'batchacct/user-managed-without-ips'
  properties: {
    vmSize: 'STANDARD_D2S_V3'
    targetNodeCommunicationMode: 'Simplified'
    networkConfiguration: {
      publicIPAddressConfiguration: {
        provision: 'UserManaged'
      }
    }
  }
}

resource r5 'Microsoft.Batch/batchAccounts/pools@2024-07-01' = {
  name: 'batchacct/user-managed-empty-ips'
  properties: {
    vmSize: 'STANDARD_D2S_V3'
    targetNodeCommunicationMode: 'Simplified'
    networkConfiguration: {
      publicIPAddressConfiguration: {
        provision: 'UserManaged'
        ipAddressIds: []
      }
    }
  }
}
