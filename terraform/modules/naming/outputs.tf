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

output "dbt_database_names" {
  description = "Map layer => Glue database of every schema dbt builds: staging (views), the dbt-built layers (refined, curated) and audit; a developer's dev build has {abbr}_{layer}_{developer}."
  value       = local.dbt_database_names
}

output "developer_database_patterns" {
  description = "Map layer => pattern of the developers' copies of a dbt schema: {abbr}_{layer}_* (dbt-glue creates them with the developer's credentials)."
  value       = { for l, d in local.dbt_database_names : l => "${d}_*" }
}

output "developer_storage_folder" {
  description = "Folder under a project's prefix that holds developers' tables: {layer bucket}/{project}/_developers/{developer}/{table}/."
  value       = "_developers"
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

output "metric_namespace" {
  description = "CloudWatch namespace of the domain's own metrics (the ingestion jobs' and the gate's): {abbr}/lakehouse; no environment, as environments are accounts."
  value       = "${local.abbr}/lakehouse"
}

output "eventbridge_rule_prefix" {
  description = "Prefix of the domain's EventBridge rules: {abbr}-{env}-."
  value       = "${local.prefix}-"
}

output "role_names" {
  description = "Map purpose (glue-job, dbt-session, dbt-dev-session, dbt-runner, table-optimizer, pipeline) => IAM role {abbr}-{env}-{project}-{purpose}; empty without project."
  value       = local.role_names
}

output "policy_names" {
  description = "Map purpose (dbt-caller, dbt-developer) => managed IAM policy {abbr}-{env}-{project}-{purpose}; empty without project."
  value       = local.policy_names
}

output "dbt_session_id" {
  description = "Glue interactive session id of the project's scheduled dbt build, {abbr}-{env}-{project}-dbt (dbt-glue may append __<suffix>); null without project."
  value       = local.project_prefix == null ? null : "${local.project_prefix}-dbt"
}

output "developer_session_id_pattern" {
  description = "Session ids of developers' dbt-glue sessions: dbt-* (profiles/profiles.yml names them dbt-<DBT_DEVELOPER>)."
  value       = "dbt-*"
}

output "pipeline_name" {
  description = "The project's Step Functions pipeline {abbr}-{env}-{project}-pipeline (null without project)."
  value       = local.project == null ? null : "${local.project_prefix}-pipeline"
}

output "project_pipeline_names" {
  description = "Map project => pipeline name {abbr}-{env}-{project}-pipeline, for var.projects."
  value       = local.project_pipeline_names
}

output "project_pipeline_name_pattern" {
  description = "Pattern of every project pipeline of the domain in this environment: {abbr}-{env}-*-pipeline (the domain pipeline matches it too)."
  value       = "${local.prefix}-*-pipeline"
}

output "domain_pipeline_name" {
  description = "The domain's schedule (Step Functions) and its role: {abbr}-{env}-domain-pipeline."
  value       = local.domain_pipeline_name
}

output "docs_site_name" {
  description = "The docs site's distribution, key group, function and signing key alias: {abbr}-{env}-docs."
  value       = "${local.prefix}-docs"
}

output "docs_prefix" {
  description = "Key prefix of the docs site in the artifacts bucket, where the deployment syncs it: docs/{env}/."
  value       = "docs/${local.env}/"
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
