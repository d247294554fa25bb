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

output "jobs" {
  description = "Map job identifier => the job's name, glue_version, execution_class, worker settings, script_location and default_arguments."
  value = {
    for k, j in aws_glue_job.this : k => {
      name              = j.name
      glue_version      = j.glue_version
      execution_class   = j.execution_class
      worker_type       = j.worker_type
      number_of_workers = j.number_of_workers
      script_location   = j.command[0].script_location
      default_arguments = j.default_arguments
      connections       = j.connections
    }
  }
}
