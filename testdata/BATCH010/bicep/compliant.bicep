resource r0 'Microsoft.Network/networkSecurityGroups@2023-09-01' = {
  name: 'nsg-batch'
  location: 'westeurope'
  properties: {
    securityRules: [
      {
        name: 'https-in'
        properties: {
          priority: 100
          direction: 'Inbound'
          access: 'Allow'
          protocol: 'Tcp'
          sourceAddressPrefix: '*'
          sourcePortRange: '*'
          destinationAddressPrefix: '*'
          destinationPortRange: '443'
        }
      }
    ]
  }
}

resource r1 'Microsoft.Network/virtualNetworks@2023-09-01' = {
  name: 'vnet-batch'
  location: 'westeurope'
  properties: {
    addressSpace: {
      addressPrefixes: [
        '10.1.0.0/16'
      ]
    }
    subnets: [
      {
        name: 'pool-subnet'
        properties: {
          addressPrefix: '10.1.0.0/24'
          networkSecurityGroup: {
            id: resourceId('Microsoft.Network/networkSecurityGroups', 'nsg-batch')
          }
        }
      }
    ]
  }
}

resource r2 'Microsoft.Batch/batchAccounts/pools@2024-07-01' = {
  name: 'batchacct/behind-subnet-nsg'
  properties: {
    vmSize: 'STANDARD_D2S_V3'
    networkConfiguration: {
      subnetId: resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet-batch', 'pool-subnet')
      endpointConfiguration: {
        inboundNatPools: [
          {
            name: 'ssh'
            protocol: 'TCP'
            backendPort: 22
            frontendPortRangeStart: 7000
            frontendPortRangeEnd: 7100
          }
        ]
      }
    }
  }
}

resource r3 'Microsoft.Batch/batchAccounts/pools@2024-07-01' = {
  name: 'batchacct/restricted'
  properties: {
    vmSize: 'STANDARD_D2S_V3'
    networkConfiguration: {
      endpointConfiguration: {
        inboundNatPools: [
          {
            name: 'ssh'
            protocol: 'TCP'
            backendPort: 22
            frontendPortRangeStart: 4000
            frontendPortRangeEnd: 4100
            networkSecurityGroupRules: [
              {
                priority: 170
                access: 'Allow'
                sourceAddressPrefix: '192.168.1.0/24'
              }
              {
                priority: 175
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

resource r4 'Microsoft.Batch/batchAccounts/pools@2024-07-01' = {
  name: 'batchacct/no-public-ip'
  properties: {
    vmSize: 'STANDARD_D2S_V3'
    networkConfiguration: {
      subnetId: resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'batch')
      publicIPAddressConfiguration: {
        provision: 'NoPublicIPAddresses'
      }
    }
  }
}

resource r5 'Microsoft.Batch/batchAccounts@2024-07-01' = {
  name: 'batchacct'
  location: 'westeurope'
  properties: {
    publicNetworkAccess: 'Disabled'
    allowedAuthenticationModes: [
      'AAD'
    ]
  }
  resource r5_0 'pools@2024-07-01' = {
    name: 'nested-deny-first'
    properties: {
      vmSize: 'STANDARD_D2S_V3'
      networkConfiguration: {
        endpointConfiguration: {
          inboundNatPools: [
            {
              name: 'ssh'
              protocol: 'TCP'
              backendPort: 22
              frontendPortRangeStart: 6000
              frontendPortRangeEnd: 6100
              networkSecurityGroupRules: [
                {
                  priority: 150
                  access: 'Deny'
                  sourceAddressPrefix: 'Internet'
                }
                {
                  priority: 200
                  access: 'Allow'
                  sourceAddressPrefix: '*'
                }
              ]
            }
          ]
        }
      }
    }
  }
}

resource r6 'Microsoft.Network/networkSecurityGroups@2023-09-01' = {
  name: 'nsg-deny-v4-only'
  location: 'westeurope'
  properties: {
    securityRules: [
      {
        name: 'deny-internet-v4'
        properties: {
          priority: 200
          direction: 'Inbound'
          access: 'Deny'
          protocol: '*'
          sourceAddressPrefix: '0.0.0.0/0'
          sourcePortRange: '*'
          destinationAddressPrefix: '*'
          destinationPortRange: '22'
        }
      }
      {
        name: 'allow-rest'
        properties: {
          priority: 300
          direction: 'Inbound'
          access: 'Allow'
          protocol: 'Tcp'
          sourceAddressPrefix: '*'
          sourcePortRange: '*'
          destinationAddressPrefix: '*'
          destinationPortRange: '22'
        }
      }
    ]
  }
}

resource r7 'Microsoft.Network/virtualNetworks/subnets@2023-09-01' = {
  name: 'vnet-dual/pools'
  properties: {
    addressPrefix: '10.3.0.0/24'
    networkSecurityGroup: {
      id: resourceId('Microsoft.Network/networkSecurityGroups', 'nsg-deny-v4-only')
    }
  }
}

resource r8 'Microsoft.Batch/batchAccounts/pools@2024-07-01' = {
  name: 'batchacct/ipv4-only-ssh'
  properties: {
    vmSize: 'STANDARD_D2S_V3'
    targetNodeCommunicationMode: 'Simplified'
    deploymentConfiguration: {
      virtualMachineConfiguration: {
        nodeAgentSkuId: 'batch.node.ubuntu 22.04'
      }
    }
    networkConfiguration: {
      subnetId: resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet-dual', 'pools')
      publicIPAddressConfiguration: {
        provision: 'BatchManaged'
        ipFamilies: [
          'IPv4'
        ]
      }
      endpointConfiguration: {
        inboundNatPools: [
          {
            name: 'ssh'
            protocol: 'TCP'
            backendPort: 22
            frontendPortRangeStart: 7000
            frontendPortRangeEnd: 7100
          }
        ]
      }
    }
  }
}
