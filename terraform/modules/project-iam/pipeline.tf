# pipeline: the role of the project's Step Functions state machine (trusted by Step
# Functions): start only this project's Glue jobs and dbt CodeBuild project, publish alerts.
locals {
  pipeline_policy = {
    Version = "2012-10-17"
    Statement = concat(
      length(var.glue_job_names) == 0 ? [] : [{
        Sid      = "RunProjectGlueJobs"
        Effect   = "Allow"
        Action   = ["glue:StartJobRun", "glue:GetJobRun", "glue:GetJobRuns", "glue:BatchStopJobRun"]
        Resource = [for j in var.glue_job_names : "arn:aws:glue:${local.region}:${local.account_id}:job/${j}"]
      }],
      module.pipeline_common.role_statements,
      [
        {
          Sid      = "RunDbtBuild"
          Effect   = "Allow"
          Action   = ["codebuild:StartBuild", "codebuild:StopBuild", "codebuild:BatchGetBuilds"]
          Resource = ["arn:aws:codebuild:${local.region}:${local.account_id}:project/${var.codebuild_project_name}"]
        },
        {
          Sid      = "ManageSyncRuleForCodeBuild"
          Effect   = "Allow"
          Action   = ["events:PutTargets", "events:PutRule", "events:DescribeRule"]
          Resource = ["arn:aws:events:${local.region}:${local.account_id}:rule/StepFunctionsGetEventsForCodeBuildStartBuildRule"]
        },
      ],
    )
  }
}

module "pipeline_common" {
  source = "../pipeline-common"

  name            = var.pipeline_name
  alert_topic_arn = var.alert_topic_arn
  kms_key_arn     = var.kms_key_arn
}
