module "jump" {
  source        = "./modules/nsg"
  name          = "nsg-jump"
  allowed_cidrs = ["0.0.0.0/0"]
}

module "internal" {
  source        = "./modules/nsg"
  name          = "nsg-internal"
  allowed_cidrs = ["10.1.0.0/16"]
}
