output "role_arns" {
  description = "Map purpose => role ARN (glue-job, dbt-session, dbt-runner, table-optimizer, pipeline)."
  value       = { for k, r in aws_iam_role.this : k => r.arn }
}

output "role_names" {
  description = "Map purpose => role name."
  value       = { for k, r in aws_iam_role.this : k => r.name }
}

output "dbt_caller_policy_arn" {
  description = "ARN of the managed dbt-glue caller policy (attach to developers' roles)."
  value       = aws_iam_policy.dbt_caller.arn
}

output "policy_documents" {
  description = "Map name => policy JSON of every policy of the project (inline role policies and the dbt caller policy): the input of the policy lint and isolation checks."
  value = merge(
    { for k, v in local.policies : "${var.role_names[k]}/${k}-access" => jsonencode(v) },
    { (var.dbt_caller_policy_name) = jsonencode(local.dbt_caller_policy) },
  )
}
