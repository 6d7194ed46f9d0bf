variable "rg_id" {
  type = string
}

resource "azapi_resource" "vnet" {
  type      = "Microsoft.Network/virtualNetworks@2023-09-01"
  name      = "vnet"
  parent_id = var.rg_id
  location  = "westeurope"
  body = {
    properties = {
      addressSpace = {
        addressPrefixes = ["10.0.0.0/16"]
      }
    }
  }
}

resource "azapi_resource" "bastion_subnet" {
  type      = "Microsoft.Network/virtualNetworks/subnets@2023-09-01"
  name      = "AzureBastionSubnet"
  parent_id = azapi_resource.vnet.id
  body = {
    properties = {
      addressPrefix = "10.0.1.0/26"
    }
  }
}

resource "azapi_resource" "bastion" {
  type      = "Microsoft.Network/bastionHosts@2023-09-01"
  name      = "bastion"
  parent_id = var.rg_id
  location  = "westeurope"
  body = {
    properties = {
      ipConfigurations = [
        {
          name       = "ipconfig"
          properties = {
            subnet          = {
              id = azapi_resource.bastion_subnet.id
            }
            publicIPAddress = {
              id = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/publicIPAddresses/pip"
            }
          }
        }
      ]
    }
  }
}
