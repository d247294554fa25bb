locals {
  default_tags = {
    domain      = module.naming.domain.name
    environment = var.environment
    stack       = "bootstrap"
    managed_by  = "terraform"
    git_sha     = var.git_sha
    deployed_by = var.deployed_by
    repository  = var.repository
  }
}

provider "aws" {
  region = module.naming.region

  default_tags {
    tags = local.default_tags
  }
}
