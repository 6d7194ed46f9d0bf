resource r0 'Microsoft.MachineLearningServices/workspaces@2024-04-01' = {
  name: 'ws-internet'
  location: 'westeurope'
  properties: {
    publicNetworkAccess: 'Disabled'
    managedNetwork: {
      isolationMode: 'AllowInternetOutbound'
    }
  }
}

resource r1 'Microsoft.MachineLearningServices/workspaces@2024-04-01' = {
  name: 'ws-internet-lower'
  location: 'westeurope'
  properties: {
    managedNetwork: {
      isolationMode: 'allowinternetoutbound'
      outboundRules: {}
    }
  }
}
