resource "azapi_resource" "cluster" {
  type      = "Microsoft.MachineLearningServices/workspaces/computes@2024-04-01"
  name      = "cluster-default"
  location  = "westeurope"
  parent_id = azapi_resource.workspace.id
  body = {
    properties = {
      computeType = "AmlCompute"
      properties = {
        vmSize = "STANDARD_DS3_V2"
        remoteLoginPortPublicAccess = "Disabled"
      }
    }
  }
}

resource "azapi_resource" "instance" {
  type      = "Microsoft.MachineLearningServices/workspaces/computes@2024-04-01"
  name      = "instance"
  location  = "westeurope"
  parent_id = azapi_resource.workspace.id
  body = {
    properties = {
      computeType = "ComputeInstance"
      properties = {
        vmSize      = "STANDARD_DS3_V2"
        sshSettings = { sshPublicAccess = "Disabled" }
      }
    }
  }
}
