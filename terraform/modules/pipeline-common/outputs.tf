output "states" {
  description = "The failure states (FormatFailure, NotifyFailure, Failed) to merge into a definition's States."
  value       = local.states
}

output "catch" {
  description = "The Catch of a task or Parallel state: any error -> FormatFailure (the error at $.error)."
  value       = local.catch
}

output "role_statements" {
  description = "IAM statements the state machine's role needs for the failure states and its executions: sns:Publish on the topic, its key, log delivery and X-Ray."
  value       = local.role_statements
}
