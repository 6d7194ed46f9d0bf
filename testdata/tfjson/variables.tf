# Variables in HCL beside the JSON: one module, two syntaxes.
variable "env" {
  type    = string
  default = "prod"
}

variable "location" {
  type    = string
  default = "westeurope"
}

variable "resource_group" {
  type    = string
  default = "rg-batch"
}

variable "subnet_id" {
  type    = string
  default = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-batch/providers/Microsoft.Network/virtualNetworks/vnet/subnets/nodes"
}

variable "admin_source" {
  type    = string
  default = "Internet"
}

variable "endpoints" {
  type = map(object({ port = number, frontend = string, source = string }))
  default = {
    ssh = { port = 22, frontend = "50000-50099", source = "*" }
  }
}
