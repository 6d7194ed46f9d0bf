resource r0 'Microsoft.Batch/batchAccounts/pools@2024-07-01' = {
  name: 'batchacct/many-faults'
  properties: {
    vmSize: 'STANDARD_D2S_V3'
    targetNodeCommunicationMode: 'Simplified'
    networkConfiguration: {
      endpointConfiguration: {
        inboundNatPools: [
          {
            name: 'web'
            protocol: 'TCP'
            backendPort: 8080
            frontendPortRangeStart: 4000
            frontendPortRangeEnd: 4100
          }
          {
            name: '-admin!'
            protocol: 'ICMP'
            backendPort: 29876
            frontendPortRangeStart: 50010
            frontendPortRangeEnd: 50100
          }
          {
            name: 'web'
            protocol: 'UDP'
            backendPort: 8080
            frontendPortRangeStart: 4050
            frontendPortRangeEnd: 4150
          }
          {
            name: 'tiny'
            protocol: 'TCP'
            backendPort: 9000
            frontendPortRangeStart: 7000
            frontendPortRangeEnd: 7019
          }
          {
            name: 'reversed'
            protocol: 'TCP'
            backendPort: 70000
            frontendPortRangeStart: 9000
            frontendPortRangeEnd: 8000
          }
          {
            name: 'sixth'
            protocol: 'TCP'
            backendPort: 9100
            frontendPortRangeStart: 10000
            frontendPortRangeEnd: 10100
          }
        ]
      }
    }
  }
}

resource r1 'Microsoft.Batch/batchAccounts/pools@2024-07-01' = {
  name: 'batchacct/bounds'
  properties: {
    vmSize: 'STANDARD_D2S_V3'
    targetNodeCommunicationMode: 'Simplified'
    networkConfiguration: {
      endpointConfiguration: {
        inboundNatPools: [
          {
            name: 'low'
            protocol: 'TCP'
            backendPort: 5000
            frontendPortRangeStart: 0
            frontendPortRangeEnd: 100
          }
          {
            name: 'high'
            protocol: 'TCP'
            backendPort: 5001
            frontendPortRangeStart: 65400
            frontendPortRangeEnd: 65535
          }
          {
            name: 'straddle'
            protocol: 'TCP'
            backendPort: 5002
            frontendPortRangeStart: 49990
            frontendPortRangeEnd: 50010
          }
          {
            name: 'nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn'
            protocol: 'TCP'
            backendPort: 5003
            frontendPortRangeStart: 20000
            frontendPortRangeEnd: 20100
          }
          {
            name: 'text-port'
            protocol: 'TCP'
            backendPort: 'ssh'
            frontendPortRangeStart: 21000
            frontendPortRangeEnd: 21100
          }
        ]
      }
    }
  }
}

resource r2 'Microsoft.Batch/batchAccounts/pools@2024-02-01' = {
  name: 'batchacct/old-api'
  properties: {
    vmSize: 'STANDARD_D2S_V3'
    targetNodeCommunicationMode: 'Simplified'
    networkConfiguration: {
      endpointConfiguration: {
        inboundNatPools: [
          {
            name: 'ssh'
            protocol: 'TCP'
            backendPort: 22
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
          {
            name: 'rdp'
            protocol: 'TCP'
            backendPort: 3389
            frontendPortRangeStart: 5000
            frontendPortRangeEnd: 5100
            networkSecurityGroupRules: [
              {
                priority: 180
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
