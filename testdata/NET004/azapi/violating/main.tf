resource "azapi_resource" "lb" {
  type      = "Microsoft.Network/loadBalancers@2023-09-01"
  name      = "lb-app"
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
              id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Network/loadBalancers/lb-app/frontendIPConfigurations/fe"
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

# A Standard load balancer is closed unless an NSG allows the traffic: this one does.
resource "azapi_resource" "nsg" {
  type      = "Microsoft.Network/networkSecurityGroups@2023-09-01"
  name      = "nsg-app"
  location  = "westeurope"
  parent_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg"
  body = {
    properties = {
      securityRules = [
        {
          name = "ssh"
          properties = {
            priority                 = 100
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
                primary              = true
                networkSecurityGroup = { id = azapi_resource.nsg.id }
                ipConfigurations = [
                  {
                    name = "ipconfig"
                    properties = {
                      # An id built from the load balancer's id.
                      loadBalancerInboundNatPools = [
                        { id = "${azapi_resource.lb.id}/inboundNatPools/ssh" }
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

# The Deny of 0.0.0.0/0 covers IPv4 only: the scale set is also reachable over IPv6.
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
                  },
                  {
                    name       = "ipconfig-v6"
                    properties = { privateIPAddressVersion = "IPv6" }
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
