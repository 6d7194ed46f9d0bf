resource "azapi_resource" "cluster" {
  type      = "Microsoft.MachineLearningServices/workspaces/computes@2024-04-01"
  name      = "cluster-azapi"
  location  = "westeurope"
  parent_id = azapi_resource.workspace.id
  body = {
    properties = {
      computeType = "AmlCompute"
      properties = {
        vmSize             = "STANDARD_DS3_V2"
        enableNodePublicIp = false
      }
    }
  }
}
