locals {
  # Traceability tags on every resource (provider default_tags).
  default_tags = {
    domain      = module.project.domain_name
    environment = var.environment
    project     = var.project
    stack       = "project"
    managed_by  = "terraform"
    git_sha     = var.git_sha
    deployed_by = var.deployed_by
    repository  = var.repository
  }
}

provider "aws" {
  region = module.project.region

  default_tags {
    tags = local.default_tags
  }
}
