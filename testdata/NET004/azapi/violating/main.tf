resource "azapi_resource" "lb" {
  type      = "Microsoft.Network/loadBalancers@2023-09-01"
  name      = "lb-basic"
  location  = "westeurope"
  parent_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg"
  body = {
    sku = { name = "Basic" }
    properties = {
      frontendIPConfigurations = [
        { name = "fe", properties = { publicIPAddress = { id = azapi_resource.pip.id } } }
      ]
      inboundNatPools = [
        {
          name = "ssh"
          properties = {
            frontendIPConfiguration = {
              id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Network/loadBalancers/lb-basic/frontendIPConfigurations/fe"
            }
            protocol               = "Tcp"
            frontendPortRangeStart = 50000
            frontendPortRangeEnd   = 50119
            backendPort            = 22
          }
        }
      ]
    }
  }
}

resource "azapi_resource" "vmss" {
  type      = "Microsoft.Compute/virtualMachineScaleSets@2023-09-01"
  name      = "vmss-linux"
  location  = "westeurope"
  parent_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg"
  body = {
    sku = { name = "Standard_D2s_v3", capacity = 2 }
    properties = {
      virtualMachineProfile = {
        networkProfile = {
          networkInterfaceConfigurations = [
            {
              name = "nic"
              properties = {
                primary = true
                ipConfigurations = [
                  {
                    name = "ipconfig"
                    properties = {
                      loadBalancerInboundNatPools = [
                        { id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Network/loadBalancers/lb-basic/inboundNatPools/ssh" }
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
}
