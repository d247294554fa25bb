provider "aws" {
  region = module.naming.region

  default_tags {
    tags = {
      domain      = module.naming.domain.name
      environment = var.environment
      stack       = "baseline"
      managed_by  = "terraform"
      git_sha     = var.git_sha
      deployed_by = var.deployed_by
      repository  = var.repository
    }
  }
}
