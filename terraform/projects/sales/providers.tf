provider "aws" {
  region = module.project.region

  default_tags {
    tags = {
      domain      = module.project.domain_name
      environment = var.environment
      project     = local.project
      stack       = "project"
      managed_by  = "terraform"
      git_sha     = var.git_sha
      deployed_by = var.deployed_by
      repository  = var.repository
    }
  }
}
