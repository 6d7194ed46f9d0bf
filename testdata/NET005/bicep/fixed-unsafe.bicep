resource r0 'Microsoft.Compute/virtualMachineScaleSets@2023-09-01' = {
  name: 'vmss-public'
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
