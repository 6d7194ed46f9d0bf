resource "azapi_resource" "cluster" {
  type      = "Microsoft.MachineLearningServices/workspaces/computes@2024-04-01"
  name      = "cluster"
  location  = "westeurope"
  parent_id = azapi_resource.workspace.id
  body = {
    properties = {
      computeType      = "AmlCompute"
      disableLocalAuth = true
      properties       = { vmSize = "STANDARD_DS3_V2" }
    }
  }
}

resource "azapi_resource" "instance" {
  type      = "Microsoft.MachineLearningServices/workspaces/computes@2024-04-01"
  name      = "instance"
  location  = "westeurope"
  parent_id = azapi_resource.workspace.id
  body = jsonencode({
    properties = {
      computeType = "ComputeInstance"
      properties  = { vmSize = "STANDARD_DS3_V2" }
      disableLocalAuth = true
    }
  })
}
