data "aws_caller_identity" "current" {}

locals {
  domain_config_path = coalesce(var.domain_config_path, "${path.root}/../../domain.yml")
  account_id         = data.aws_caller_identity.current.account_id
  region             = module.naming.region
  # Pinned zones (a data source listing "available" zones would silently grow).
  availability_zones = coalesce(var.availability_zones, [for s in ["a", "b"] : "${local.region}${s}"])

  # Data buckets; the logs bucket is created first (it receives their access logs).
  data_buckets = { for k, v in module.naming.bucket_names : k => v if k != "logs" }

  databases = merge(
    { for layer, db in module.naming.database_names : db => "s3://${module.naming.bucket_names[layer]}/" },
    { (module.naming.audit_database_name) = "s3://${module.naming.bucket_names["artifacts"]}/audit/" },
  )
}

module "naming" {
  source = "../modules/naming"

  domain_config_path = local.domain_config_path
  environment        = var.environment
  account_id         = data.aws_caller_identity.current.account_id
}

module "kms" {
  source = "../modules/kms-key"

  alias       = module.naming.kms_alias
  description = "Domain key of ${module.naming.domain.name} (${var.environment}): buckets, catalog, logs, topics"
  account_id  = local.account_id
  region      = local.region
  user_role_arn_patterns = concat(
    ["arn:aws:iam::${local.account_id}:role/${module.naming.role_name_pattern}"],
    var.key_user_arn_patterns,
  )
  allow_cloudwatch_logs = true
  service_principals    = ["events.amazonaws.com"]
}

module "logs_bucket" {
  source = "../modules/s3-bucket"

  name                                   = module.naming.bucket_names["logs"]
  sse_algorithm                          = "AES256" # S3 server access logging cannot write to SSE-KMS buckets
  enable_access_logging                  = false    # the log target itself
  expiration_days                        = var.access_log_expiration_days
  noncurrent_version_expiration_days     = var.noncurrent_version_expiration_days
  allow_access_log_delivery_from_account = local.account_id
  force_destroy                          = var.force_destroy_buckets
}

module "buckets" {
  source   = "../modules/s3-bucket"
  for_each = local.data_buckets

  name                               = each.value
  kms_key_arn                        = module.kms.key_arn
  access_log_bucket                  = module.logs_bucket.bucket_id # known once log delivery is allowed
  noncurrent_version_expiration_days = var.noncurrent_version_expiration_days
  force_destroy                      = var.force_destroy_buckets
}

module "catalog" {
  source = "../modules/glue-catalog"

  databases                   = local.databases
  kms_key_arn                 = module.kms.key_arn
  security_configuration_name = module.naming.glue_security_configuration_name
}

module "network" {
  source = "../modules/network"

  name                    = module.naming.prefix
  region                  = local.region
  cidr_block              = var.vpc_cidr
  availability_zones      = local.availability_zones
  kms_key_arn             = module.kms.key_arn
  flow_log_retention_days = var.log_retention_days
  glue_connection_name    = module.naming.glue_connection_name
  source_database_egress  = var.source_database_egress
}

module "alerting" {
  source = "../modules/alerting"

  topic_name           = module.naming.alert_topic_name
  rule_prefix          = module.naming.eventbridge_rule_prefix
  resource_name_prefix = "${module.naming.prefix}-"
  kms_key_arn          = module.kms.key_arn
  account_id           = local.account_id
  region               = local.region
  alert_emails         = var.alert_emails
}
