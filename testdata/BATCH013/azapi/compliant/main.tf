variable "rdp_source" {
  type = string
}

resource "azapi_resource" "current_api" {
  type      = "Microsoft.Batch/batchAccounts/pools@2024-07-01"
  name      = "current-api"
  parent_id = azapi_resource.account.id
  body = {
    properties = {
      vmSize                      = "STANDARD_D2S_V3"
      targetNodeCommunicationMode = "Simplified"
    }
  }
}

resource "azapi_resource" "legacy_ssh_denied" {
  type      = "Microsoft.Batch/batchAccounts/pools@2023-05-01"
  name      = "legacy-ssh-denied"
  parent_id = azapi_resource.account.id
  body = {
    properties = {
      vmSize                      = "STANDARD_D2S_V3"
      targetNodeCommunicationMode = "Simplified"
      deploymentConfiguration = {
        virtualMachineConfiguration = {
          nodeAgentSkuId = "batch.node.ubuntu 22.04"
        }
      }
      networkConfiguration = {
        endpointConfiguration = {
          inboundNatPools = [{
            name                      = "ssh"
            protocol                  = "TCP"
            backendPort               = 22
            frontendPortRangeStart    = 4000
            frontendPortRangeEnd      = 4100
            networkSecurityGroupRules = [{ priority = 170, access = "Deny", sourceAddressPrefix = "Internet" }]
          }]
        }
      }
    }
  }
}

resource "azapi_resource" "legacy_unresolved_deny" {
  type      = "Microsoft.Batch/batchAccounts/pools@2023-05-01"
  name      = "legacy-unresolved-deny"
  parent_id = azapi_resource.account.id
  body = {
    properties = {
      vmSize                      = "STANDARD_D2S_V3"
      targetNodeCommunicationMode = "Simplified"
      deploymentConfiguration = {
        virtualMachineConfiguration = {
          nodeAgentSkuId = "batch.node.windows amd64"
        }
      }
      networkConfiguration = {
        endpointConfiguration = {
          inboundNatPools = [{
            name                      = "rdp"
            protocol                  = "TCP"
            backendPort               = 3389
            frontendPortRangeStart    = 6000
            frontendPortRangeEnd      = 6100
            networkSecurityGroupRules = [{ priority = 170, access = "Deny", sourceAddressPrefix = var.rdp_source }]
          }]
        }
      }
    }
  }
}

resource "azapi_resource" "legacy_private" {
  type      = "Microsoft.Batch/batchAccounts/pools@2023-05-01"
  name      = "legacy-private"
  parent_id = azapi_resource.account.id
  body = {
    properties = {
      vmSize                      = "STANDARD_D2S_V3"
      targetNodeCommunicationMode = "Simplified"
      networkConfiguration = {
        subnetId                     = azapi_resource.subnet.id
        publicIPAddressConfiguration = { provision = "NoPublicIPAddresses" }
      }
    }
  }
}
