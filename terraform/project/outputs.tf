output "project" {
  description = "Project name (var.project)."
  value       = var.project
}

output "role_arns" {
  description = "Map purpose => role ARN."
  value       = module.project.role_arns
}

output "dbt_caller_policy_arn" {
  description = "Managed policy of the scheduled dbt build (attached to the project's dbt-runner role)."
  value       = module.project.dbt_caller_policy_arn
}

output "dbt_developer_policy_arn" {
  description = "Managed policy to attach to the roles of the project's developers (dbt build --target dev as the dbt-dev-session role)."
  value       = module.project.dbt_developer_policy_arn
}

output "policy_documents" {
  description = "Every IAM policy of the project (name => JSON)."
  value       = module.project.policy_documents
}

output "glue_job_names" {
  description = "Map script stem => Glue job name."
  value       = module.project.glue_job_names
}

output "glue_jobs" {
  description = "Map script stem => job settings."
  value       = module.project.glue_jobs
}

output "pipeline_definition" {
  description = "States Language definition of the project pipeline."
  value       = module.project.pipeline_definition
}

output "optimized_tables" {
  description = "Tables with Iceberg optimizers."
  value       = module.project.optimized_tables
}

output "state_machine_arn" {
  description = "ARN of the project pipeline."
  value       = module.project.state_machine_arn
}

output "alarms" {
  description = "Map alarm name => {namespace, metric, dimensions, statistic, comparison, threshold, period, actions, missing} of the project's alarms."
  value       = module.project.alarms
}

output "dashboard_name" {
  description = "The project's CloudWatch dashboard."
  value       = module.project.dashboard_name
}

output "dashboard_body" {
  description = "The project's dashboard's body (JSON: its widgets)."
  value       = module.project.dashboard_body
}

output "default_tags" {
  description = "Tags the provider puts on every resource (traceability: git_sha, deployed_by, repository)."
  value       = local.default_tags
}
