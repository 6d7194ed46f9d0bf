# The hub of ../azurerm with its own endpoint known not to exist: the hub lacks it.
module "hub" {
  source       = "../azurerm"
  hub_endpoint = false
}
