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
        {
          Sid      = "PublishAlerts"
          Effect   = "Allow"
          Action   = ["sns:Publish"]
          Resource = [var.alert_topic_arn]
        },
        {
          Sid      = "EncryptAlerts"
          Effect   = "Allow"
          Action   = ["kms:Decrypt", "kms:GenerateDataKey"]
          Resource = var.kms_key_arn
        },
        {
          # CloudWatch Logs delivery and X-Ray tracing of Step Functions: these actions do
          # not support resource-level permissions.
          Sid    = "DeliverExecutionLogsAndTraces"
          Effect = "Allow"
          Action = [
            "logs:CreateLogDelivery",
            "logs:DeleteLogDelivery",
            "logs:DescribeLogGroups",
            "logs:DescribeResourcePolicies",
            "logs:GetLogDelivery",
            "logs:ListLogDeliveries",
            "logs:PutResourcePolicy",
            "logs:UpdateLogDelivery",
            "xray:GetSamplingRules",
            "xray:GetSamplingTargets",
            "xray:PutTelemetryRecords",
            "xray:PutTraceSegments",
          ]
          Resource = "*"
        },
      ],
    )
  }
}
