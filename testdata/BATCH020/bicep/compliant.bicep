param poolApiVersion string

param natName string

param protocol string

param backendPort int

param frontendStart int

param frontendEnd int

resource r0 'Microsoft.Batch/batchAccounts/pools@2024-07-01' = {
  name: 'batchacct/boundaries'
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
            frontendPortRangeEnd: 4039
            networkSecurityGroupRules: [
              {
                priority: 170
                access: 'Deny'
                sourceAddressPrefix: '*'
              }
            ]
          }
          {
            name: 'app.v2-x'
            protocol: 'udp'
            backendPort: 65535
            frontendPortRangeStart: 4040
            frontendPortRangeEnd: 4079
          }
          {
            name: 'below-reserved'
            protocol: 'TCP'
            backendPort: 1
            frontendPortRangeStart: 49960
            frontendPortRangeEnd: 49999
          }
          {
            name: 'above-reserved'
            protocol: 'Tcp'
            backendPort: 29875
            frontendPortRangeStart: 55001
            frontendPortRangeEnd: 55040
          }
          {
            name: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa_'
            protocol: 'TCP'
            backendPort: 29878
            frontendPortRangeStart: 65495
            frontendPortRangeEnd: 65534
          }
        ]
      }
    }
  }
}

// batchacct/unknown-api: an API version from an expression cannot be written in Bicep

resource r2 'Microsoft.Batch/batchAccounts/pools@2024-07-01' = {
  name: 'batchacct/unknown-values'
  properties: {
    vmSize: 'STANDARD_D2S_V3'
    targetNodeCommunicationMode: 'Simplified'
    networkConfiguration: {
      endpointConfiguration: {
        inboundNatPools: [
          {
            name: natName
            protocol: protocol
            backendPort: backendPort
            frontendPortRangeStart: frontendStart
            frontendPortRangeEnd: 4100
          }
          {
            name: 'fixed'
            protocol: 'TCP'
            backendPort: 8080
            frontendPortRangeStart: frontendStart
            frontendPortRangeEnd: frontendEnd
          }
        ]
      }
    }
  }
}
