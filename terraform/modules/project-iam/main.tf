# The six roles of a project, their inline policies, and the two managed policies of dbt-glue
# clients; what each may do is in <role>.tf (shared ARNs and statements in locals.tf).
locals {
  policies = {
    glue-job        = local.glue_job_policy
    dbt-session     = local.dbt_session_policy
    dbt-dev-session = local.dbt_dev_session_policy
    dbt-runner      = local.dbt_runner_policy
    table-optimizer = local.table_optimizer_policy
    pipeline        = local.pipeline_policy
  }

  trust_service = {
    glue-job        = "glue"
    dbt-session     = "glue"
    dbt-dev-session = "glue"
    dbt-runner      = "codebuild"
    table-optimizer = "glue"
    pipeline        = "states"
  }

  # IAM's quotas (characters without whitespace; jsonencode writes none): a role's inline
  # policies together, and a managed policy.
  inline_policy_limit  = 10240
  managed_policy_limit = 6144
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

  lifecycle {
    precondition {
      condition     = length(jsonencode(each.value)) <= local.inline_policy_limit
      error_message = "The ${each.key} policy of ${local.project} has ${length(jsonencode(each.value))} characters, above IAM's ${local.inline_policy_limit} for a role's inline policies: the project builds or reads too many tables (var.dbt_access) for one role."
    }
  }
}

# The managed policies of the two dbt-glue clients (dbt_runner.tf): dbt-caller, attached to
# the dbt-runner role (the scheduled pipeline's CodeBuild), and dbt-developer, for developers'
# own roles (attach it to the SSO permission set of the project's developers; not attached here).
locals {
  dbt_clients_policy = {
    dbt-caller    = { client = "caller", what = "the scheduled build: its own sessions, PassRole of dbt-session, catalog reads" }
    dbt-developer = { client = "developer", what = "a developer's build: dbt-* sessions, PassRole of dbt-dev-session, developers' schemas" }
  }
}

resource "aws_iam_policy" "dbt_client" {
  for_each = local.dbt_clients_policy

  name        = var.policy_names[each.key]
  description = "What ${each.value.what} of project ${local.project} needs (dbt-glue)"
  policy      = jsonencode(local.dbt_client_policies[each.value.client])

  lifecycle {
    precondition {
      condition     = length(jsonencode(local.dbt_client_policies[each.value.client])) <= local.managed_policy_limit
      error_message = "The ${each.key} policy of ${local.project} is above IAM's ${local.managed_policy_limit} characters."
    }
  }
}

# (the same key on both sides: glue-local's principals resolve the attachment to its policy)
resource "aws_iam_role_policy_attachment" "dbt_client" {
  for_each = { dbt-caller = "dbt-runner" }

  role       = aws_iam_role.this[each.value].name
  policy_arn = aws_iam_policy.dbt_client[each.key].arn
}

moved {
  from = aws_iam_policy.dbt_caller
  to   = aws_iam_policy.dbt_client["dbt-caller"]
}

moved {
  from = aws_iam_role_policy_attachment.dbt_caller
  to   = aws_iam_role_policy_attachment.dbt_client["dbt-caller"]
}
