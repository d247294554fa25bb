output "job_names" {
  description = "Map job identifier => Glue job name."
  value       = { for k, j in aws_glue_job.this : k => j.name }
}

output "job_arns" {
  description = "Map job identifier => Glue job ARN."
  value       = { for k, j in aws_glue_job.this : k => j.arn }
}

output "default_arguments" {
  description = "Default arguments every job gets."
  value       = local.default_arguments
}
