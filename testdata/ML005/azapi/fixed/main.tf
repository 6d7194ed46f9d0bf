resource "azapi_resource" "endpoint" {
  type      = "Microsoft.MachineLearningServices/workspaces/batchEndpoints@2024-04-01"
  name      = "scoring"
  location  = "westeurope"
  parent_id = azapi_resource.workspace.id
  body = {
    properties = {
      authMode            = "AADToken"
    }
  }
}

resource "azapi_resource" "deployment" {
  type      = "Microsoft.MachineLearningServices/workspaces/batchEndpoints/deployments@2024-04-01"
  name      = "default"
  location  = "westeurope"
  parent_id = azapi_resource.endpoint.id
  body = jsonencode({
    properties = {
      compute                   = "cluster"
    }
  })
}
