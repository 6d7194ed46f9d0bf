resource "azapi_resource" "pip" {
  type      = "Microsoft.Network/publicIPAddresses@2023-09-01"
  name      = "pip-basic"
  location  = "westeurope"
  parent_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg"
  body = {
    sku        = { name = "Standard" }
    properties = { publicIPAllocationMethod = "Static" }
  }
}

resource "azapi_resource" "lb" {
  type      = "Microsoft.Network/loadBalancers@2023-09-01"
  name      = "lb-basic"
  location  = "westeurope"
  parent_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg"
  body = {
    sku = { name = "Standard" }
    properties = {
      frontendIPConfigurations = [
        { name = "fe", properties = { publicIPAddress = { id = azapi_resource.pip.id } } }
      ]
    }
  }
}
