resource r0 'Microsoft.Batch/batchAccounts/pools@2024-02-01' = {
  name: 'batchacct/with-certificates'
  properties: {
    vmSize: 'STANDARD_D2S_V3'
    deploymentConfiguration: {
      virtualMachineConfiguration: {
        nodeAgentSkuId: 'batch.node.ubuntu 22.04'
      }
    }
    certificates: [
      {
        id: resourceId('Microsoft.Batch/batchAccounts/certificates', 'batchacct', 'sha1-0123456789abcdef0123456789abcdef01234567')
        storeLocation: 'CurrentUser'
        visibility: [
          'Task'
        ]
      }
    ]
  }
}

resource r1 'Microsoft.Batch/batchAccounts/certificates@2024-02-01' = {
  name: 'batchacct/sha1-0123456789abcdef0123456789abcdef01234567'
  properties: {
    format: 'Pfx'
    thumbprintAlgorithm: 'SHA1'
    thumbprint: '0123456789abcdef0123456789abcdef01234567'
  }
}
