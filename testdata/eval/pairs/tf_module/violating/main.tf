variable "bastion_source" {
  type    = string
  default = "10.0.0.0/8"
}

module "bastion" {
  source     = "./modules/nsg"
  name       = "nsg-bastion"
  ssh_source = var.bastion_source # origin: NET001
}
