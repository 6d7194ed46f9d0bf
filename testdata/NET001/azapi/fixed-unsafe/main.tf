resource "azapi_resource" "nsg" {
  type      = "Microsoft.Network/networkSecurityGroups@2023-09-01"
  name      = "nsg-azapi"
  location  = "westeurope"
  parent_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg"
  body = {
    properties = {
      securityRules = [
        {
          name = "ssh-any"
          properties = {
            priority                 = 100
            direction                = "Inbound"
            access                   = "Allow"
            protocol                 = "Tcp"
            sourceAddressPrefix      = "VirtualNetwork"
            sourcePortRange          = "*"
            destinationAddressPrefix = "*"
            destinationPortRange     = "22"
          }
        }
      ]
    }
  }
}

resource "azapi_resource" "nsg_v1" {
  type      = "Microsoft.Network/networkSecurityGroups@2023-09-01"
  name      = "nsg-azapi-jsonencode"
  location  = "westeurope"
  parent_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg"
  body = jsonencode({
    properties = {
      securityRules = []
    }
  })
}

resource "azapi_resource" "nsg_v1_ssh" {
  type      = "Microsoft.Network/networkSecurityGroups/securityRules@2023-09-01"
  name      = "ssh-internet"
  parent_id = azapi_resource.nsg_v1.id
  body = jsonencode({
    properties = {
      priority                 = 200
      direction                = "Inbound"
      access                   = "Allow"
      protocol                 = "*"
      sourceAddressPrefix      = "VirtualNetwork"
      sourcePortRange          = "*"
      destinationAddressPrefix = "*"
      destinationPortRanges    = ["0-1024"]
    }
  })
}

# The Deny of 0.0.0.0/0 covers IPv4 only; the network interface's public IP is IPv6.
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
            sourceAddressPrefix      = "VirtualNetwork"
            sourcePortRange          = "*"
            destinationAddressPrefix = "*"
            destinationPortRange     = "22"
          }
        }
      ]
    }
  }
}

resource "azapi_resource" "pip" {
  type      = "Microsoft.Network/publicIPAddresses@2023-09-01"
  name      = "pip-vm"
  location  = "westeurope"
  parent_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg"
  body = {
    sku        = { name = "Standard" }
    properties = { publicIPAllocationMethod = "Static", publicIPAddressVersion = "IPv6" }
  }
}

resource "azapi_resource" "nic" {
  type      = "Microsoft.Network/networkInterfaces@2023-09-01"
  name      = "nic-vm"
  location  = "westeurope"
  parent_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg"
  body = {
    properties = {
      networkSecurityGroup = { id = azapi_resource.nsg_v4_only.id }
      ipConfigurations = [
        {
          name = "ipconfig"
          properties = {
            publicIPAddress = { id = azapi_resource.pip.id }
          }
        }
      ]
    }
  }
}
