output "role_arns" {
  description = "Map purpose => role ARN (glue-job, dbt-session, dbt-dev-session, dbt-runner, table-optimizer, pipeline): built from the names, so that what names a role (the CodeBuild service role, DBT_GLUE_ROLE_ARN, ...) is known when the stack is planned (make parity reads plans); available once the roles and their policies exist."
  value       = { for k, r in aws_iam_role.this : k => local.role_arn[k] }
  depends_on  = [aws_iam_role.this, aws_iam_role_policy.this]
}

output "role_names" {
  description = "Map purpose => role name."
  value       = { for k, r in aws_iam_role.this : k => r.name }
}

output "dbt_caller_policy_arn" {
  description = "ARN of the managed dbt-caller policy (attached to the dbt-runner role)."
  value       = aws_iam_policy.dbt_client["dbt-caller"].arn
}

output "dbt_developer_policy_arn" {
  description = "ARN of the managed dbt-developer policy: attach it to the roles of the project's developers (dbt build --target dev)."
  value       = aws_iam_policy.dbt_client["dbt-developer"].arn
}

output "policy_documents" {
  description = "Map name => policy JSON of every policy of the project (inline role policies <role>/<purpose>-access, and the managed dbt-caller and dbt-developer policies by name): the input of the policy lint and isolation checks."
  value = merge(
    { for k, v in local.policies : "${var.role_names[k]}/${k}-access" => jsonencode(v) },
    { for k, v in local.dbt_clients_policy : var.policy_names[k] => jsonencode(local.dbt_client_policies[v.client]) },
  )
}
