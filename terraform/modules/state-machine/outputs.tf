output "arn" {
  description = "ARN of the state machine."
  value       = aws_sfn_state_machine.this.arn
}

output "log_group_name" {
  description = "Log group of its executions."
  value       = aws_cloudwatch_log_group.this.name
}
