# The five roles of a project and their policies; what each may do is in <role>.tf (shared
# ARNs and statements in locals.tf).
locals {
  policies = {
    glue-job        = local.glue_job_policy
    dbt-session     = local.dbt_session_policy
    dbt-runner      = local.dbt_runner_policy
    table-optimizer = local.table_optimizer_policy
    pipeline        = local.pipeline_policy
  }

  trust_service = {
    glue-job        = "glue"
    dbt-session     = "glue"
    dbt-runner      = "codebuild"
    table-optimizer = "glue"
    pipeline        = "states"
  }
}

resource "aws_iam_role" "this" {
  for_each = local.trust_service

  name                 = var.role_names[each.key]
  description          = "${each.key} role of project ${local.project}"
  assume_role_policy   = local.trust[each.value]
  max_session_duration = 3600
}

resource "aws_iam_role_policy" "this" {
  for_each = local.policies

  name   = "${each.key}-access"
  role   = aws_iam_role.this[each.key].id
  policy = jsonencode(each.value)
}

resource "aws_iam_policy" "dbt_caller" {
  name        = var.dbt_caller_policy_name
  description = "What a dbt-glue caller needs for project ${local.project}: attach to the dbt runner and to developers' roles"
  policy      = jsonencode(local.dbt_caller_policy)
}

resource "aws_iam_role_policy_attachment" "dbt_caller" {
  role       = aws_iam_role.this["dbt-runner"].name
  policy_arn = aws_iam_policy.dbt_caller.arn
}
