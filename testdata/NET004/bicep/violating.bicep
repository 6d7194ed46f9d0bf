resource r0 'Microsoft.Network/publicIPAddresses@2023-09-01' = {
  name: 'pip-lb'
  location: 'westeurope'
  properties: {
    publicIPAllocationMethod: 'Dynamic'
  }
}

resource r1 'Microsoft.Network/loadBalancers@2023-09-01' = {
  name: 'lb-basic'
  location: 'westeurope'
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
    backendAddressPools: [
      {
        name: 'be'
      }
    ]
    inboundNatPools: [
      {
        name: 'rdp'
        properties: {
          frontendIPConfiguration: {
            id: concat(resourceId('Microsoft.Network/loadBalancers', 'lb-basic'), '/frontendIPConfigurations/fe')
          }
          protocol: 'Tcp'
          frontendPortRangeStart: 50000
          frontendPortRangeEnd: 50119
          backendPort: 3389
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
              ipConfigurations: [
                {
                  name: 'ipconfig'
                  properties: {
                    subnet: {
                      id: resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'default')
                    }
                    loadBalancerInboundNatPools: [
                      {
                        id: concat('/subscriptions/', subscription().subscriptionId, '/resourceGroups/', resourceGroup().name, '/providers/Microsoft.Network/loadBalancers/lb-basic/inboundNatPools/rdp')
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

resource r3 'Microsoft.Network/virtualNetworks@2023-09-01' = {
  name: 'vnet'
  location: 'westeurope'
  properties: {
    addressSpace: {
      addressPrefixes: [
        '10.0.0.0/16'
      ]
    }
    subnets: [
      {
        name: 'default'
        properties: {
          addressPrefix: '10.0.0.0/24'
        }
      }
    ]
  }
}

resource r4 'Microsoft.Network/networkSecurityGroups@2023-09-01' = {
  name: 'nsg-ssh-open'
  location: 'westeurope'
  properties: {
    securityRules: [
      {
        name: 'ssh'
        properties: {
          priority: 100
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

resource r5 'Microsoft.Network/loadBalancers@2023-09-01' = {
  name: 'lb-vm'
  location: 'westeurope'
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
    inboundNatRules: [
      {
        name: 'ssh-vm1'
        properties: {
          protocol: 'Tcp'
          frontendPort: 2201
          backendPort: 22
          frontendIPConfiguration: {
            id: concat(resourceId('Microsoft.Network/loadBalancers', 'lb-vm'), '/frontendIPConfigurations/fe')
          }
        }
      }
    ]
  }
}

resource r6 'Microsoft.Network/networkInterfaces@2023-09-01' = {
  name: 'nic-vm1'
  location: 'westeurope'
  properties: {
    networkSecurityGroup: {
      id: resourceId('Microsoft.Network/networkSecurityGroups', 'nsg-ssh-open')
    }
    ipConfigurations: [
      {
        name: 'ipconfig'
        properties: {
          subnet: {
            id: resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'default')
          }
          loadBalancerInboundNatRules: [
            {
              id: resourceId('Microsoft.Network/loadBalancers/inboundNatRules', 'lb-vm', 'ssh-vm1')
            }
          ]
        }
      }
    ]
  }
}

resource r7 'Microsoft.Network/publicIPAddresses@2023-09-01' = {
  name: 'pip-lb-ipv6'
  location: 'westeurope'
  properties: {
    publicIPAllocationMethod: 'Static'
    publicIPAddressVersion: 'IPv6'
  }
}

resource r8 'Microsoft.Network/loadBalancers@2023-09-01' = {
  name: 'lb-ipv6'
  location: 'westeurope'
  properties: {
    frontendIPConfigurations: [
      {
        name: 'fe'
        properties: {
          publicIPAddress: {
            id: resourceId('Microsoft.Network/publicIPAddresses', 'pip-lb-ipv6')
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
            id: concat(resourceId('Microsoft.Network/loadBalancers', 'lb-ipv6'), '/frontendIPConfigurations/fe')
          }
        }
      }
    ]
  }
}

resource r9 'Microsoft.Network/networkSecurityGroups@2023-09-01' = {
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

resource r10 'Microsoft.Network/networkInterfaces@2023-09-01' = {
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
              id: resourceId('Microsoft.Network/loadBalancers/inboundNatRules', 'lb-ipv6', 'ssh-vm2')
            }
          ]
        }
      }
    ]
  }
}
