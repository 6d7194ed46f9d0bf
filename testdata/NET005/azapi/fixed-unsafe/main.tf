resource "azapi_resource" "vmss" {
  type      = "Microsoft.Compute/virtualMachineScaleSets@2023-09-01"
  name      = "vmss-public"
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
                      subnet                       = { id = azapi_resource.subnet.id }
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
