// Syntax newer than the grammar, in what only shapes types or values nobody reads here.
import { lockType } from 'br/public:avm/utl/types/avm-common-types:0.6.0'
import {
  roleAssignmentType
  managedIdentityAllType
} from 'br/public:avm/utl/types/avm-common-types:0.5.1'

@description('Optional. Authentication modes.')
param allowedAuthenticationModes resourceInput<'Microsoft.Batch/batchAccounts@2024-07-01'>.properties.allowedAuthenticationModes?

param keyVaultResourceId string = ''

var identities = reduce(
  map([], (id) => { '${id}': {} }),
  {},
  (cur, next) => union(cur, next)
)

resource acct 'Microsoft.Batch/batchAccounts@2024-07-01' = {
  name: 'batchnewer'
  location: 'westeurope'
  identity: empty(identities) ? null : { type: 'UserAssigned', userAssignedIdentities: identities }
  properties: {
    keyVaultReference: empty(keyVaultResourceId) ? null : { id: keyVaultResourceId!, url: 'https://kv.vault.azure.net/' }
    publicNetworkAccess: 'Enabled'
    allowedAuthenticationModes: allowedAuthenticationModes ?? ['AAD']
  }
}
