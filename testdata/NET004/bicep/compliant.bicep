resource r0 'Microsoft.Network/networkSecurityGroups@2023-09-01' = {
  name: 'nsg-vpn-only'
  location: 'westeurope'
  properties: {
    securityRules: [
      {
        name: 'rdp-from-vpn'
        properties: {
          priority: 100
          direction: 'Inbound'
          access: 'Allow'
          protocol: 'Tcp'
          sourceAddressPrefix: '10.8.0.0/16'
          sourcePortRange: '*'
          destinationAddressPrefix: '*'
          destinationPortRange: '3389'
        }
      }
    ]
  }
}

resource r1 'Microsoft.Network/loadBalancers@2023-09-01' = {
  name: 'lb-basic'
  location: 'westeurope'
  sku: {
    name: 'Basic'
  }
  properties: {
    frontendIPConfigurations: [
      {
        name: 'fe'
        properties: {
          publicIPAddress: {
            id: resourceId('Microsoft.Network/publicIPAddresses', 'pip-lb')
          }
        }
      }
    ]
    inboundNatPools: [
      {
        name: 'rdp'
        properties: {
          protocol: 'Tcp'
          frontendPortRangeStart: 50000
          frontendPortRangeEnd: 50119
          backendPort: 3389
          frontendIPConfiguration: {
            id: concat(resourceId('Microsoft.Network/loadBalancers', 'lb-basic'), '/frontendIPConfigurations/fe')
          }
        }
      }
      {
        name: 'https'
        properties: {
          protocol: 'Tcp'
          frontendPortRangeStart: 51000
          frontendPortRangeEnd: 51119
          backendPort: 443
          frontendIPConfiguration: {
            id: concat(resourceId('Microsoft.Network/loadBalancers', 'lb-basic'), '/frontendIPConfigurations/fe')
          }
        }
      }
    ]
  }
}

resource r2 'Microsoft.Compute/virtualMachineScaleSets@2023-09-01' = {
  name: 'vmss-win'
  location: 'westeurope'
  sku: {
    name: 'Standard_D2s_v3'
    capacity: 2
  }
  properties: {
    virtualMachineProfile: {
      networkProfile: {
        networkInterfaceConfigurations: [
          {
            name: 'nic'
            properties: {
              primary: true
              networkSecurityGroup: {
                id: resourceId('Microsoft.Network/networkSecurityGroups', 'nsg-vpn-only')
              }
              ipConfigurations: [
                {
                  name: 'ipconfig'
                  properties: {
                    loadBalancerInboundNatPools: [
                      {
                        id: resourceId('Microsoft.Network/loadBalancers/inboundNatPools', 'lb-basic', 'rdp')
                      }
                      {
                        id: resourceId('Microsoft.Network/loadBalancers/inboundNatPools', 'lb-basic', 'https')
                      }
                    ]
                  }
                }
              ]
            }
          }
        ]
      }
    }
  }
}

resource r3 'Microsoft.Network/loadBalancers@2023-09-01' = {
  name: 'lb-no-sku'
  location: 'westeurope'
  properties: {
    frontendIPConfigurations: [
      {
        name: 'fe'
        properties: {
          publicIPAddress: {
            id: resourceId('Microsoft.Network/publicIPAddresses', 'pip-std')
          }
        }
      }
    ]
    inboundNatPools: [
      {
        name: 'ssh'
        properties: {
          protocol: 'Tcp'
          frontendPortRangeStart: 50000
          frontendPortRangeEnd: 50119
          backendPort: 22
          frontendIPConfiguration: {
            id: concat(resourceId('Microsoft.Network/loadBalancers', 'lb-no-sku'), '/frontendIPConfigurations/fe')
          }
        }
      }
    ]
  }
}

resource r4 'Microsoft.Compute/virtualMachineScaleSets@2023-09-01' = {
  name: 'vmss-linux'
  location: 'westeurope'
  sku: {
    name: 'Standard_D2s_v3'
    capacity: 2
  }
  properties: {
    virtualMachineProfile: {
      networkProfile: {
        networkInterfaceConfigurations: [
          {
            name: 'nic'
            properties: {
              primary: true
              ipConfigurations: [
                {
                  name: 'ipconfig'
                  properties: {
                    loadBalancerInboundNatPools: [
                      {
                        id: resourceId('Microsoft.Network/loadBalancers/inboundNatPools', 'lb-no-sku', 'ssh')
                      }
                    ]
                  }
                }
              ]
            }
          }
        ]
      }
    }
  }
}

resource r5 'Microsoft.Network/publicIPAddresses@2023-09-01' = {
  name: 'pip-lb-ipv4'
  location: 'westeurope'
  properties: {
    publicIPAllocationMethod: 'Static'
    publicIPAddressVersion: 'IPv4'
  }
}

resource r6 'Microsoft.Network/loadBalancers@2023-09-01' = {
  name: 'lb-ipv4'
  location: 'westeurope'
  properties: {
    frontendIPConfigurations: [
      {
        name: 'fe'
        properties: {
          publicIPAddress: {
            id: resourceId('Microsoft.Network/publicIPAddresses', 'pip-lb-ipv4')
          }
        }
      }
    ]
    inboundNatRules: [
      {
        name: 'ssh-vm2'
        properties: {
          protocol: 'Tcp'
          frontendPort: 2202
          backendPort: 22
          frontendIPConfiguration: {
            id: concat(resourceId('Microsoft.Network/loadBalancers', 'lb-ipv4'), '/frontendIPConfigurations/fe')
          }
        }
      }
    ]
  }
}

resource r7 'Microsoft.Network/networkSecurityGroups@2023-09-01' = {
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

resource r8 'Microsoft.Network/networkInterfaces@2023-09-01' = {
  name: 'nic-vm2'
  location: 'westeurope'
  properties: {
    networkSecurityGroup: {
      id: resourceId('Microsoft.Network/networkSecurityGroups', 'nsg-deny-v4-only')
    }
    ipConfigurations: [
      {
        name: 'ipconfig'
        properties: {
          loadBalancerInboundNatRules: [
            {
              id: resourceId('Microsoft.Network/loadBalancers/inboundNatRules', 'lb-ipv4', 'ssh-vm2')
            }
          ]
        }
      }
    ]
  }
}
