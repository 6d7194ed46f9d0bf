# Settings of an ML workspace and a compute cluster that only `sensitive_body` holds: the
# findings point at that attribute and their messages quote none of its values.
resource "azapi_resource" "ws" {
  type      = "Microsoft.MachineLearningServices/workspaces@2024-04-01"
  name      = "ws"
  parent_id = "/subscriptions/0/resourceGroups/rg"
  location  = "westeurope"
  body = {
    properties = { publicNetworkAccess = "Disabled" }
  }
  sensitive_body = {
    properties = {
      publicNetworkAccess = "Enabled"
      managedNetwork      = { isolationMode = "AllowInternetOutbound" }
    }
  }
}

resource "azapi_resource" "cluster" {
  type      = "Microsoft.MachineLearningServices/workspaces/computes@2024-04-01"
  name      = "cluster"
  parent_id = azapi_resource.ws.id
  location  = "westeurope"
  body = {
    properties = {
      computeType = "AmlCompute"
      properties  = { enableNodePublicIp = false, remoteLoginPortPublicAccess = "Disabled" }
    }
  }
  sensitive_body = {
    properties = {
      disableLocalAuth = false
      properties       = { remoteLoginPortPublicAccess = "Enabled", enableNodePublicIp = true }
    }
  }
}
