# A pool whose endpoint rules are written in `sensitive_body`: findings on them point at the
# attribute but never repeat what is written there, whatever quotes the message puts around it
# (BATCH021 quotes a source port range in double quotes). tests/cli.rs checks it.
resource "azapi_resource" "pool" {
  type      = "Microsoft.Batch/batchAccounts/pools@2024-07-01"
  name      = "secret-rules"
  parent_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Batch/batchAccounts/acct"
  body = {
    properties = {
      vmSize                      = "STANDARD_D2S_V3"
      targetNodeCommunicationMode = "Simplified"
    }
  }
  sensitive_body = {
    properties = {
      networkConfiguration = {
        endpointConfiguration = {
          inboundNatPools = [
            {
              name                   = "app"
              protocol               = "TCP"
              backendPort            = 8080
              frontendPortRangeStart = 4000
              frontendPortRangeEnd   = 4100
              networkSecurityGroupRules = [
                { priority = 150, access = "Deny", sourceAddressPrefix = "*", sourcePortRanges = ["80-70000"] }
              ]
            }
          ]
        }
      }
    }
  }
}
