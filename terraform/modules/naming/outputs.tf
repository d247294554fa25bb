output "domain" {
  description = "The decoded domain.yml (name, abbreviation, country_code, region, environments, layers, owner, ...)."
  value       = local.domain
}

output "abbreviation" {
  description = "Domain abbreviation, the first part of every name."
  value       = local.abbr
}

output "region" {
  description = "AWS region of the domain (domain.yml region)."
  value       = local.domain.region
}

output "layers" {
  description = "Data layers in flow order (domain.yml layers)."
  value       = local.layers
}

output "prefix" {
  description = "Prefix of domain-wide resources: {abbr}-{env}."
  value       = local.prefix
}

output "project_prefix" {
  description = "Prefix of project resources: {abbr}-{env}-{project} (null without project)."
  value       = local.project_prefix
}

output "bucket_names" {
  description = "Map purpose (each layer, artifacts, logs) => bucket name {country}-{abbr}-{env}-{purpose}-{account_id}."
  value       = local.bucket_names
}

output "layer_bucket_names" {
  description = "Map layer => bucket name, data layers only."
  value       = { for l in local.layers : l => local.bucket_names[l] }
}

output "state_bucket_name" {
  description = "Terraform state bucket of the environment: {country}-{abbr}-{env}-tfstate-{account_id}."
  value       = "${local.country}-${local.abbr}-${local.env}-tfstate-${var.account_id}"
}

output "state_kms_alias" {
  description = "Alias of the key encrypting the Terraform state bucket: alias/{abbr}-{env}-tfstate."
  value       = "alias/${local.prefix}-tfstate"
}

output "database_names" {
  description = "Map layer => Glue database / dbt schema {abbr}_{layer}."
  value       = local.database_names
}

output "audit_database_name" {
  description = "dbt test-failure audit schema {abbr}_audit."
  value       = "${local.abbr}_audit"
}

output "kms_alias" {
  description = "Alias of the domain CMK: alias/{abbr}-{env}."
  value       = "alias/${local.prefix}"
}

output "alert_topic_name" {
  description = "SNS alert topic: {abbr}-{env}-alerts."
  value       = "${local.prefix}-alerts"
}

output "glue_connection_name" {
  description = "Glue network connection: {abbr}-{env}-network."
  value       = "${local.prefix}-network"
}

output "glue_security_configuration_name" {
  description = "Glue security configuration: {abbr}-{env}."
  value       = local.prefix
}

output "eventbridge_rule_prefix" {
  description = "Prefix of the domain's EventBridge rules: {abbr}-{env}-."
  value       = "${local.prefix}-"
}

output "role_names" {
  description = "Map purpose (glue-job, dbt-session, dbt-runner, table-optimizer, pipeline) => IAM role {abbr}-{env}-{project}-{purpose}; empty without project."
  value       = local.role_names
}

output "role_name_pattern" {
  description = "IAM role name pattern covering every role of the domain in this environment: {abbr}-{env}-*."
  value       = "${local.prefix}-*"
}

output "glue_job_names" {
  description = "Map job identifier => Glue job name {abbr}-{env}-{project}-{job}."
  value       = local.glue_job_names
}

output "project_storage_prefix" {
  description = "Key prefix of the project's objects inside every layer bucket: {project}/ (null without project)."
  value       = local.project == null ? null : "${local.project}/"
}

output "raw_table_prefix" {
  description = "Prefix of the project's raw tables in {abbr}_raw: {project}__ (null without project)."
  value       = local.project == null ? null : "${local.project}__"
}
