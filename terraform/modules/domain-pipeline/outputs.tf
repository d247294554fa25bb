output "state_machine_arn" {
  description = "ARN of the domain's schedule."
  value       = module.state_machine.arn
}

output "definition" {
  description = "The Amazon States Language definition (JSON)."
  value       = jsonencode(local.definition)
}

output "role_arn" {
  description = "ARN of the state machine's role."
  value       = aws_iam_role.this.arn
}

output "policy_document" {
  description = "The role's policy (JSON)."
  value       = jsonencode(local.policy)
}
