resource "azapi_resource" "lb" {
  type      = "Microsoft.Network/loadBalancers@2023-09-01"
  name      = "lb-std"
  location  = "westeurope"
  parent_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg"
  body = {
    sku = { name = "Standard" }
    properties = {
      frontendIPConfigurations = [
        { name = "fe", properties = { publicIPAddress = { id = azapi_resource.pip.id } } }
      ]
      inboundNatPools = [
        {
          name = "ssh"
          properties = {
            frontendIPConfiguration = {
              id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Network/loadBalancers/lb-std/frontendIPConfigurations/fe"
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
                        { id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Network/loadBalancers/lb-std/inboundNatPools/ssh" }
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

# The Deny of 0.0.0.0/0 covers IPv4 only; the scale set has no IPv6 configuration.
resource "azapi_resource" "lb_dual" {
  type      = "Microsoft.Network/loadBalancers@2023-09-01"
  name      = "lb-dual"
  location  = "westeurope"
  parent_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg"
  body = {
    sku = { name = "Standard" }
    properties = {
      frontendIPConfigurations = [
        { name = "fe", properties = { publicIPAddress = { id = azapi_resource.pip.id } } }
      ]
      inboundNatPools = [
        {
          name = "ssh"
          properties = {
            frontendIPConfiguration = {
              id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Network/loadBalancers/lb-dual/frontendIPConfigurations/fe"
            }
            protocol               = "Tcp"
            frontendPortRangeStart = 51000
            frontendPortRangeEnd   = 51119
            backendPort            = 22
          }
        }
      ]
    }
  }
}

resource "azapi_resource" "nsg_v4_only" {
  type      = "Microsoft.Network/networkSecurityGroups@2023-09-01"
  name      = "nsg-deny-v4-only"
  location  = "westeurope"
  parent_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg"
  body = {
    properties = {
      securityRules = [
        {
          name = "deny-internet-v4"
          properties = {
            priority                 = 200
            direction                = "Inbound"
            access                   = "Deny"
            protocol                 = "*"
            sourceAddressPrefix      = "0.0.0.0/0"
            sourcePortRange          = "*"
            destinationAddressPrefix = "*"
            destinationPortRange     = "22"
          }
        },
        {
          name = "allow-rest"
          properties = {
            priority                 = 300
            direction                = "Inbound"
            access                   = "Allow"
            protocol                 = "Tcp"
            sourceAddressPrefix      = "*"
            sourcePortRange          = "*"
            destinationAddressPrefix = "*"
            destinationPortRange     = "22"
          }
        }
      ]
    }
  }
}

resource "azapi_resource" "vmss_dual" {
  type      = "Microsoft.Compute/virtualMachineScaleSets@2023-09-01"
  name      = "vmss-dual"
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
                primary              = true
                networkSecurityGroup = { id = azapi_resource.nsg_v4_only.id }
                ipConfigurations = [
                  {
                    name = "ipconfig-v4"
                    properties = {
                      loadBalancerInboundNatPools = [
                        { id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Network/loadBalancers/lb-dual/inboundNatPools/ssh" }
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
