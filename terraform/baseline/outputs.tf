output "bucket_names" {
  description = "Map purpose => bucket name (layers, artifacts, logs)."
  value       = merge({ for k, m in module.buckets : k => m.bucket_id }, { logs = module.logs_bucket.bucket_id })
}

output "kms_key_arn" {
  description = "ARN of the domain CMK."
  value       = module.kms.key_arn
}

output "kms_alias" {
  description = "Alias of the domain CMK (projects look the key up by it)."
  value       = module.kms.alias_name
}

output "database_names" {
  description = "Glue databases of the domain."
  value       = module.catalog.database_names
}

output "glue_connection_name" {
  description = "Glue NETWORK connection for jobs."
  value       = module.network.glue_connection_name
}

output "glue_security_configuration_name" {
  description = "Glue security configuration for jobs."
  value       = module.catalog.security_configuration_name
}

output "alert_topic_arn" {
  description = "ARN of the alert topic."
  value       = module.alerting.topic_arn
}

output "domain_pipeline_arn" {
  description = "ARN of the domain's schedule ({abbr}-{env}-domain-pipeline): start it with {\"batch_id\": \"<batch>\"} ({\"ingest\": false} skips ingestion)."
  value       = module.domain_pipeline.state_machine_arn
}

output "domain_pipeline_definition" {
  description = "States Language definition of the domain's schedule."
  value       = module.domain_pipeline.definition
}

output "policy_documents" {
  description = "Every IAM policy of the baseline (name => JSON): the domain pipeline's role."
  value       = { "${module.naming.domain_pipeline_name}/domain-pipeline-access" = module.domain_pipeline.policy_document }
}

output "vpc_id" {
  description = "Id of the domain VPC."
  value       = module.network.vpc_id
}

output "default_tags" {
  description = "Tags the provider puts on every resource (traceability: git_sha, deployed_by, repository)."
  value       = local.default_tags
}

output "docs_site" {
  description = "The docs site: its url, the distribution (id, ARN), and what a reader's pass needs (signing_key_arn, key_pair_id, pass_max_hours)."
  value = {
    url              = module.docs_site.url
    distribution_id  = module.docs_site.distribution_id
    distribution_arn = module.docs_site.distribution_arn
    signing_key_arn  = module.docs_site.signing_key_arn
    key_pair_id      = module.docs_site.key_pair_id
    pass_max_hours   = module.docs_site.pass_max_hours
  }
}

output "docs_pass_command" {
  description = "What a reader of another domain runs, with their own AWS credentials, to open the docs site (docs/terraform.md, \"The docs site\")."
  value = join(" ", [
    "python -m lakehouse.docs.docs_pass",
    "--url ${module.docs_site.url}",
    "--key-arn ${module.docs_site.signing_key_arn}",
    "--key-pair-id ${module.docs_site.key_pair_id}",
  ])
}
