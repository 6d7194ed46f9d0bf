resource r0 'Microsoft.Batch/batchAccounts@2024-07-01' = {
  name: 'batchnovault'
  location: 'westeurope'
  properties: {
    poolAllocationMode: 'UserSubscription'
  }
}

resource r1 'Microsoft.Batch/batchAccounts@2024-07-01' = {
  name: 'batchnourl'
  location: 'westeurope'
  properties: {
    poolAllocationMode: 'usersubscription'
    keyVaultReference: {
      id: '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv'
    }
  }
}

resource r2 'Microsoft.Batch/batchAccounts@2024-07-01' = {
  name: 'batchemptyid'
  location: 'westeurope'
  properties: {
    poolAllocationMode: 'UserSubscription'
    keyVaultReference: {
      id: ''
      url: 'https://kv.vault.azure.net/'
    }
  }
}
