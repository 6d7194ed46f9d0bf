resource acct 'Microsoft.Batch/batchAccounts@2024-07-01' = {
  name: 'batchcompiled'
  location: 'westeurope'
  properties: {
    publicNetworkAccess: 'Enabled'
    allowedAuthenticationModes: ['AAD']
  }
}
