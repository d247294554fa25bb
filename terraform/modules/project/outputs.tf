output "region" {
  description = "AWS region of the domain (from domain.yml)."
  value       = module.naming.region
}

output "domain_name" {
  description = "Domain name (from domain.yml)."
  value       = module.naming.domain.name
}

output "role_arns" {
  description = "Map purpose => role ARN of the project."
  value       = module.iam.role_arns
}

output "dbt_caller_policy_arn" {
  description = "Managed policy of the scheduled dbt build (attached to the dbt-runner role)."
  value       = module.iam.dbt_caller_policy_arn
}

output "dbt_developer_policy_arn" {
  description = "Managed policy to attach to the roles of developers who run dbt --target dev for this project."
  value       = module.iam.dbt_developer_policy_arn
}

output "policy_documents" {
  description = "Every IAM policy of the project (name => JSON)."
  value       = module.iam.policy_documents
}

output "glue_job_names" {
  description = "Map script stem => Glue job name."
  value       = module.jobs.job_names
}

output "glue_jobs" {
  description = "Map script stem => job settings (name, glue_version, execution_class, script_location, default_arguments, ...)."
  value       = module.jobs.jobs
}

output "optimized_tables" {
  description = "database.table keys with Iceberg optimizers."
  value       = module.optimizers.optimized_tables
}

output "state_machine_arn" {
  description = "ARN of the project pipeline."
  value       = module.pipeline.state_machine_arn
}

output "pipeline_definition" {
  description = "States Language definition of the pipeline."
  value       = module.pipeline.definition
}

output "buildspec" {
  description = "Buildspec of the pipeline's CodeBuild project (the gate's command)."
  value       = module.pipeline.buildspec
}

output "alarms" {
  description = "Map alarm name => {namespace, metric, dimensions, statistic, comparison, threshold, period, actions, missing} of the project's alarms (project-monitoring)."
  value       = module.monitoring.alarms
}

output "dashboard_name" {
  description = "The project's CloudWatch dashboard."
  value       = module.monitoring.dashboard_name
}

output "dashboard_body" {
  description = "The dashboard's body (JSON: its widgets)."
  value       = module.monitoring.dashboard_body
}
