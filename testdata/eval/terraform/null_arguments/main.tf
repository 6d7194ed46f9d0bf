# A null argument: a variable declared `nullable = false` keeps its default (false, private);
# a nullable one (the default) is null, and the provider default (public) applies.
module "acct" {
  source = "./child"
  pna    = null
}
module "acct2" {
  source = "./child"
  pna    = null
  nullable_pna = null
}
