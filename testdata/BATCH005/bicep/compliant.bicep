param vaultUrl string

param mode string

resource r0 'Microsoft.Batch/batchAccounts@2024-07-01' = {
  name: 'batchwithvault'
  location: 'westeurope'
  properties: {
    poolAllocationMode: 'UserSubscription'
    keyVaultReference: {
      id: '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv'
      url: vaultUrl
    }
  }
}

resource r1 'Microsoft.Batch/batchAccounts@2024-07-01' = {
  name: 'batchservice'
  location: 'westeurope'
  properties: {
    poolAllocationMode: 'BatchService'
  }
}

resource r2 'Microsoft.Batch/batchAccounts@2024-07-01' = {
  name: 'batchdefaultmode'
  location: 'westeurope'
  properties: {}
}

resource r3 'Microsoft.Batch/batchAccounts@2024-07-01' = {
  name: 'batchmodeparameter'
  location: 'westeurope'
  properties: {
    poolAllocationMode: mode
  }
}
