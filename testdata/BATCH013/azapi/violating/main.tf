resource "azapi_resource" "linux_pool" {
  type      = "Microsoft.Batch/batchAccounts/pools@2023-05-01"
  name      = "linux-legacy"
  parent_id = azapi_resource.account.id
  body = {
    properties = {
      vmSize                      = "STANDARD_D2S_V3"
      targetNodeCommunicationMode = "Simplified"
      deploymentConfiguration = {
        virtualMachineConfiguration = {
          imageReference = { publisher = "canonical", offer = "0001-com-ubuntu-server-jammy", sku = "22_04-lts" }
          nodeAgentSkuId = "batch.node.ubuntu 22.04"
        }
      }
    }
  }
}

resource "azapi_resource" "linux_pool_allow_first" {
  type      = "Microsoft.Batch/batchAccounts/pools@2022-10-01"
  name      = "linux-allow-first"
  parent_id = azapi_resource.account.id
  body = jsonencode({
    properties = {
      vmSize                      = "STANDARD_D2S_V3"
      targetNodeCommunicationMode = "Simplified"
      deploymentConfiguration = {
        virtualMachineConfiguration = {
          nodeAgentSkuId = "batch.node.ubuntu 22.04"
        }
      }
      networkConfiguration = {
        publicIPAddressConfiguration = { provision = "UserManaged", ipAddressIds = [azapi_resource.pip.id] }
        endpointConfiguration = {
          inboundNatPools = [{
            name                   = "ssh"
            protocol               = "TCP"
            backendPort            = 22
            frontendPortRangeStart = 4000
            frontendPortRangeEnd   = 4100
            networkSecurityGroupRules = [
              { priority = 150, access = "Allow", sourceAddressPrefix = "198.51.100.0/24" },
              { priority = 160, access = "Allow", sourceAddressPrefix = "Internet" },
              { priority = 170, access = "Deny", sourceAddressPrefix = "*" }
            ]
          }]
        }
      }
    }
  })
}
