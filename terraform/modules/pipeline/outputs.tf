output "state_machine_arn" {
  description = "ARN of the pipeline state machine."
  value       = aws_sfn_state_machine.this.arn
}

output "definition" {
  description = "The Amazon States Language definition (JSON)."
  value       = jsonencode(local.definition)
}

output "codebuild_project_name" {
  description = "Name of the CodeBuild project running dbt."
  value       = aws_codebuild_project.this.name
}

output "log_group_name" {
  description = "Log group of the state machine executions."
  value       = aws_cloudwatch_log_group.this.name
}
