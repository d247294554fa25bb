data "aws_caller_identity" "current" {}

module "naming" {
  source = "../modules/naming"

  domain_config_path = coalesce(var.domain_config_path, "${path.root}/../../domain.yml")
  environment        = var.environment
  account_id         = data.aws_caller_identity.current.account_id
}

module "kms" {
  source = "../modules/kms-key"

  alias       = module.naming.state_kms_alias
  description = "Terraform state of ${module.naming.domain.name} (${var.environment})"
  account_id  = data.aws_caller_identity.current.account_id
  region      = module.naming.region
}

module "state_bucket" {
  source = "../modules/s3-bucket"

  name                               = module.naming.state_bucket_name
  kms_key_arn                        = module.kms.key_arn
  enable_access_logging              = false # created before the logs bucket exists; CloudTrail covers access to state
  noncurrent_version_expiration_days = var.noncurrent_version_expiration_days
}
