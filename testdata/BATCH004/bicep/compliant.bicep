param keySource string

resource r0 'Microsoft.Batch/batchAccounts@2024-07-01' = {
  name: 'batchcmk'
  location: 'westeurope'
  identity: {
    'type': 'SystemAssigned'
  }
  properties: {
    publicNetworkAccess: 'Disabled'
    encryption: {
      keySource: 'microsoft.keyvault'
      keyVaultProperties: {
        keyIdentifier: 'https://kv.vault.azure.net/keys/batch'
      }
    }
  }
}

resource r1 'Microsoft.Batch/batchAccounts@2024-07-01' = {
  name: 'batchfromparameter'
  location: 'westeurope'
  properties: {
    publicNetworkAccess: 'Disabled'
    encryption: {
      keySource: keySource
    }
  }
}
