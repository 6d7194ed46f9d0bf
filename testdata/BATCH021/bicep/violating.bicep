resource r0 'Microsoft.Batch/batchAccounts/pools@2024-07-01' = {
  name: 'batchacct/many-faults'
  properties: {
    vmSize: 'STANDARD_D2S_V3'
    targetNodeCommunicationMode: 'Simplified'
    networkConfiguration: {
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
                priority: 100
                access: 'Allow'
                sourceAddressPrefix: '10.0.0.0/8'
              }
              {
                priority: 160
                access: 'Permit'
                sourceAddressPrefix: '198.51.100.7'
              }
              {
                priority: 170
                access: 'Allow'
                sourceAddressPrefix: '10.0.0.0/33'
              }
              {
                priority: 180
                access: 'Allow'
                sourceAddressPrefix: '10.1.0.0/16,10.2.0.0/16'
              }
              {
                priority: 190
                access: 'Allow'
                sourceAddressPrefix: '192.168.0.0/16'
                sourcePortRanges: [
                  '*'
                  '1024-65535'
                ]
              }
              {
                priority: 200
                access: 'Allow'
                sourceAddressPrefix: '172.16.0.0/12'
                sourcePortRanges: [
                  '1000-2000'
                  '1500'
                  '70000'
                  'abc'
                ]
              }
              {
                priority: 4097
                access: 'Deny'
                sourceAddressPrefix: '*'
              }
            ]
          }
          {
            name: 'admin'
            protocol: 'TCP'
            backendPort: 8081
            frontendPortRangeStart: 5000
            frontendPortRangeEnd: 5100
            networkSecurityGroupRules: [
              {
                priority: 160
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

resource r1 'Microsoft.Batch/batchAccounts/pools@2017-09-01' = {
  name: 'batchacct/old-api'
  properties: {
    vmSize: 'STANDARD_D2S_V3'
    targetNodeCommunicationMode: 'Simplified'
    networkConfiguration: {
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
                priority: 3501
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

resource r2 'Microsoft.Batch/batchAccounts/pools@2024-07-01' = {
  name: 'batchacct/too-many-rules'
  properties: {
    vmSize: 'STANDARD_D2S_V3'
    targetNodeCommunicationMode: 'Simplified'
    networkConfiguration: {
      endpointConfiguration: {
        inboundNatPools: [
          {
            name: 'first'
            protocol: 'TCP'
            backendPort: 8080
            frontendPortRangeStart: 4000
            frontendPortRangeEnd: 4100
            networkSecurityGroupRules: [
              {
                priority: 150
                access: 'Allow'
                sourceAddressPrefix: '203.0.113.0'
              }
              {
                priority: 151
                access: 'Allow'
                sourceAddressPrefix: '203.0.113.1'
              }
              {
                priority: 152
                access: 'Allow'
                sourceAddressPrefix: '203.0.113.2'
              }
              {
                priority: 153
                access: 'Allow'
                sourceAddressPrefix: '203.0.113.3'
              }
              {
                priority: 154
                access: 'Allow'
                sourceAddressPrefix: '203.0.113.4'
              }
              {
                priority: 155
                access: 'Allow'
                sourceAddressPrefix: '203.0.113.5'
              }
              {
                priority: 156
                access: 'Allow'
                sourceAddressPrefix: '203.0.113.6'
              }
              {
                priority: 157
                access: 'Allow'
                sourceAddressPrefix: '203.0.113.7'
              }
              {
                priority: 158
                access: 'Allow'
                sourceAddressPrefix: '203.0.113.8'
              }
              {
                priority: 159
                access: 'Allow'
                sourceAddressPrefix: '203.0.113.9'
              }
              {
                priority: 160
                access: 'Allow'
                sourceAddressPrefix: '203.0.113.10'
              }
              {
                priority: 161
                access: 'Allow'
                sourceAddressPrefix: '203.0.113.11'
              }
              {
                priority: 162
                access: 'Allow'
                sourceAddressPrefix: '203.0.113.12'
              }
            ]
          }
          {
            name: 'second'
            protocol: 'TCP'
            backendPort: 8081
            frontendPortRangeStart: 5000
            frontendPortRangeEnd: 5100
            networkSecurityGroupRules: [
              {
                priority: 300
                access: 'Allow'
                sourceAddressPrefix: '198.51.100.0'
              }
              {
                priority: 301
                access: 'Allow'
                sourceAddressPrefix: '198.51.100.1'
              }
              {
                priority: 302
                access: 'Allow'
                sourceAddressPrefix: '198.51.100.2'
              }
              {
                priority: 303
                access: 'Allow'
                sourceAddressPrefix: '198.51.100.3'
              }
              {
                priority: 304
                access: 'Allow'
                sourceAddressPrefix: '198.51.100.4'
              }
              {
                priority: 305
                access: 'Allow'
                sourceAddressPrefix: '198.51.100.5'
              }
              {
                priority: 306
                access: 'Allow'
                sourceAddressPrefix: '198.51.100.6'
              }
              {
                priority: 307
                access: 'Allow'
                sourceAddressPrefix: '198.51.100.7'
              }
              {
                priority: 308
                access: 'Allow'
                sourceAddressPrefix: '198.51.100.8'
              }
              {
                priority: 309
                access: 'Allow'
                sourceAddressPrefix: '198.51.100.9'
              }
              {
                priority: 310
                access: 'Allow'
                sourceAddressPrefix: '198.51.100.10'
              }
              {
                priority: 311
                access: 'Allow'
                sourceAddressPrefix: '198.51.100.11'
              }
              {
                priority: 400
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
