resource r0 'Microsoft.Network/networkSecurityGroups@2023-09-01' = {
  name: 'nsg-open'
  location: 'westeurope'
  properties: {
    securityRules: [
      {
        name: 'rdp-from-internet'
        properties: {
          priority: 100
          direction: 'Inbound'
          access: 'Allow'
          protocol: '*'
          sourceAddressPrefix: 'Internet'
          sourcePortRange: '*'
          destinationAddressPrefix: '*'
          destinationPortRange: '3389'
        }
      }
    ]
  }
}

resource r1 'Microsoft.Network/virtualNetworks/subnets@2023-09-01' = {
  name: 'vnet-batch/pool-subnet'
  properties: {
    addressPrefix: '10.1.0.0/24'
    networkSecurityGroup: {
      id: resourceId('Microsoft.Network/networkSecurityGroups', 'nsg-open')
    }
  }
}

resource r2 'Microsoft.Batch/batchAccounts/pools@2024-07-01' = {
  name: 'batchacct/in-open-subnet'
  properties: {
    vmSize: 'STANDARD_D2S_V3'
    deploymentConfiguration: {
      virtualMachineConfiguration: {
        nodeAgentSkuId: 'batch.node.windows amd64'
      }
    }
    networkConfiguration: {
      subnetId: resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet-batch', 'pool-subnet')
      endpointConfiguration: {
        inboundNatPools: [
          {
            name: 'rdp-udp'
            protocol: 'UDP'
            backendPort: 3389
            frontendPortRangeStart: 8000
            frontendPortRangeEnd: 8100
          }
          {
            name: 'rdp'
            protocol: 'TCP'
            backendPort: 3389
            frontendPortRangeStart: 9000
            frontendPortRangeEnd: 9100
          }
        ]
      }
    }
  }
}

resource r3 'Microsoft.Batch/batchAccounts/pools@2024-07-01' = {
  name: 'batchacct/linux-implicit'
  properties: {
    vmSize: 'STANDARD_D2S_V3'
    deploymentConfiguration: {
      virtualMachineConfiguration: {
        imageReference: {
          publisher: 'canonical'
          offer: '0001-com-ubuntu-server-jammy'
          sku: '22_04-lts'
        }
        nodeAgentSkuId: 'batch.node.ubuntu 22.04'
      }
    }
    networkConfiguration: {
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
  }
}

resource r4 'Microsoft.Batch/batchAccounts/pools@2024-07-01' = {
  name: 'batchacct/windows-allow-first'
  properties: {
    vmSize: 'STANDARD_D2S_V3'
    deploymentConfiguration: {
      virtualMachineConfiguration: {
        imageReference: {
          publisher: 'MicrosoftWindowsServer'
          offer: 'WindowsServer'
          sku: '2022-datacenter'
        }
        nodeAgentSkuId: 'batch.node.windows amd64'
      }
    }
    networkConfiguration: {
      publicIPAddressConfiguration: {
        provision: 'BatchManaged'
      }
      endpointConfiguration: {
        inboundNatPools: [
          {
            name: 'rdp'
            protocol: 'TCP'
            backendPort: 3389
            frontendPortRangeStart: 5000
            frontendPortRangeEnd: 5100
            networkSecurityGroupRules: [
              {
                priority: 150
                access: 'Allow'
                sourceAddressPrefix: '*'
              }
              {
                priority: 200
                access: 'Deny'
                sourceAddressPrefix: 'Internet'
              }
            ]
          }
        ]
      }
    }
  }
}

resource r5 'Microsoft.Network/networkSecurityGroups@2023-09-01' = {
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

resource r6 'Microsoft.Network/virtualNetworks/subnets@2023-09-01' = {
  name: 'vnet-dual/pools'
  properties: {
    addressPrefix: '10.3.0.0/24'
    networkSecurityGroup: {
      id: resourceId('Microsoft.Network/networkSecurityGroups', 'nsg-deny-v4-only')
    }
  }
}

resource r7 'Microsoft.Batch/batchAccounts/pools@2024-07-01' = {
  name: 'batchacct/dual-stack-ssh'
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
          'IPv6'
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
