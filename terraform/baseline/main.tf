data "aws_caller_identity" "current" {}

locals {
  domain_config_path = coalesce(var.domain_config_path, "${path.root}/../../domain.yml")
  account_id         = data.aws_caller_identity.current.account_id
  region             = module.naming.region
  # Pinned zones (a data source listing "available" zones would silently grow).
  availability_zones = coalesce(var.availability_zones, [for s in ["a", "b"] : "${local.region}${s}"])

  # Data buckets; the logs bucket is created first (it receives their access logs).
  data_buckets = { for k, v in module.naming.bucket_names : k => v if k != "logs" }

  # Every schema dbt-glue touches exists before any build: the layers' databases, dbt's staging
  # views and the audit schema (stored test failures). The pipelines' roles may not create
  # databases; developers' copies ({abbr}_{layer}_{developer}) are theirs to create.
  # staging and audit have no bucket: their prefixes in artifacts (macros/naming/locations.sql).
  databases = merge(
    { for layer, db in module.naming.database_names : db => "s3://${module.naming.bucket_names[layer]}/" },
    {
      for layer in ["staging", "audit"] :
      module.naming.dbt_database_names[layer] => "s3://${module.naming.bucket_names["artifacts"]}/${layer}/"
    },
  )
}

module "naming" {
  source = "../modules/naming"

  domain_config_path = local.domain_config_path
  environment        = var.environment
  account_id         = data.aws_caller_identity.current.account_id
  projects           = distinct(flatten([for wave in var.pipeline_stages : [for s in wave : s.project]]))
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
  # publishing to the encrypted alert topic: EventBridge's failure rules, the projects' alarms
  service_principals = ["events.amazonaws.com", "cloudwatch.amazonaws.com"]
  # the docs site's objects are under this key: its distribution, and only it, may decrypt
  cloudfront_distribution_arns = [module.docs_site.distribution_arn]
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
  # the docs site's distribution reads its prefix of the artifacts bucket, nothing else
  cloudfront_read = each.key != "artifacts" ? null : {
    distribution_arn = module.docs_site.distribution_arn
    prefix           = module.naming.docs_prefix
  }
}

# The dbt docs site, served to readers of other domains who hold a pass (docs/terraform.md).
module "docs_site" {
  source = "../modules/docs-site"

  name                        = module.naming.docs_site_name
  bucket_name                 = local.data_buckets["artifacts"]
  bucket_regional_domain_name = module.buckets["artifacts"].bucket_regional_domain_name
  prefix                      = module.naming.docs_prefix
  account_id                  = local.account_id
  region                      = local.region
  readers                     = var.docs_readers
  pass_max_hours              = var.docs_pass_max_hours
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

# The domain's schedule: every project's pipeline by stage, in the manifest's waves.
module "domain_pipeline" {
  source = "../modules/domain-pipeline"

  name                          = module.naming.domain_pipeline_name
  role_name                     = module.naming.domain_pipeline_name
  pipeline_stages               = var.pipeline_stages
  project_pipeline_names        = module.naming.project_pipeline_names
  project_pipeline_name_pattern = module.naming.project_pipeline_name_pattern
  account_id                    = local.account_id
  region                        = local.region
  # by name and alias: the role's policy is then known when the baseline is planned
  alert_topic_arn    = "arn:aws:sns:${local.region}:${local.account_id}:${module.naming.alert_topic_name}"
  kms_key_arn        = module.kms.key_arn
  kms_key_alias      = module.kms.alias_name
  log_retention_days = var.log_retention_days

  depends_on = [module.alerting]
}
