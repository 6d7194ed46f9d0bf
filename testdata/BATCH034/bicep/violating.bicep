@secure()
param password string

resource r0 'Microsoft.Batch/batchAccounts/pools@2024-07-01' = {
  name: 'batchacct/plain-user'
  properties: {
    vmSize: 'STANDARD_D2S_V3'
    deploymentConfiguration: {
      virtualMachineConfiguration: {
        nodeAgentSkuId: 'batch.node.ubuntu 22.04'
      }
    }
    networkConfiguration: {
      publicIPAddressConfiguration: {
        provision: 'NoPublicIPAddresses'
      }
    }
    userAccounts: [
      {
        name: 'reader'
        password: password
        elevationLevel: 'NonAdmin'
      }
    ]
  }
}

resource r1 'Microsoft.Batch/batchAccounts/pools@2024-07-01' = {
  name: 'batchacct/admin-user'
  properties: {
    vmSize: 'STANDARD_D2S_V3'
    deploymentConfiguration: {
      virtualMachineConfiguration: {
        nodeAgentSkuId: 'batch.node.ubuntu 22.04'
      }
    }
    networkConfiguration: {
      publicIPAddressConfiguration: {
        provision: 'NoPublicIPAddresses'
      }
    }
    userAccounts: [
      {
        name: 'operator'
        password: password
        elevationLevel: 'admin'
      }
      {
        name: 'auditor'
        password: password
      }
    ]
  }
}

resource r2 'Microsoft.Batch/batchAccounts/pools@2024-07-01' = {
  name: 'batchacct/exposed-ssh'
  properties: {
    vmSize: 'STANDARD_D2S_V3'
    deploymentConfiguration: {
      virtualMachineConfiguration: {
        nodeAgentSkuId: 'batch.node.ubuntu 22.04'
      }
    }
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
    userAccounts: [
      {
        name: 'tunnel'
        password: password
      }
    ]
  }
}
