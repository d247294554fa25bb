output "state_machine_arn" {
  description = "ARN of the pipeline state machine."
  value       = module.state_machine.arn
}

output "definition" {
  description = "The Amazon States Language definition (JSON)."
  value       = jsonencode(local.definition)
}

output "buildspec" {
  description = "Buildspec of the CodeBuild project (YAML): the gate's command and its environment."
  value       = local.buildspec
}

output "codebuild_project_name" {
  description = "Name of the CodeBuild project running dbt."
  value       = aws_codebuild_project.this.name
}

output "log_group_name" {
  description = "Log group of the state machine executions."
  value       = module.state_machine.log_group_name
}
