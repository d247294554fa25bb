# What every Step Functions pipeline of the domain shares (the project pipelines and the
# domain's schedule), written once; no resources:
# - the end on a failure, as States Language: a Catch on any error -> FormatFailure (state
#   machine, execution, error) -> NotifyFailure (SNS publish to the alert topic) -> Failed;
# - the statements its role needs for that and for its executions' logs and traces.
locals {
  catch = [{
    ErrorEquals = ["States.ALL"]
    ResultPath  = "$.error"
    Next        = "FormatFailure"
  }]

  states = {
    FormatFailure = {
      Type = "Pass"
      Parameters = {
        "pipeline.$"  = "$$.StateMachine.Name"
        "execution.$" = "$$.Execution.Id"
        "error.$"     = "$.error"
      }
      Next = "NotifyFailure"
    }
    NotifyFailure = {
      Type     = "Task"
      Resource = "arn:aws:states:::sns:publish"
      Parameters = {
        TopicArn    = var.alert_topic_arn
        Subject     = "Pipeline ${var.name} failed"
        "Message.$" = "States.JsonToString($)"
      }
      Next = "Failed"
    }
    Failed = {
      Type  = "Fail"
      Error = "PipelineFailed"
      Cause = var.cause
    }
  }

  # The topic's key by its ARN, or, in the stack that creates the key (its ARN is known only
  # after apply), by its alias: any key of the topic's account and region that has it.
  topic = split(":", var.alert_topic_arn) # arn:aws:sns:<region>:<account>:<name>
  encrypt_alerts = merge(
    {
      Sid      = "EncryptAlerts"
      Effect   = "Allow"
      Action   = ["kms:Decrypt", "kms:GenerateDataKey"]
      Resource = var.kms_key_alias == null ? var.kms_key_arn : "arn:aws:kms:${local.topic[3]}:${local.topic[4]}:key/*"
    },
    var.kms_key_alias == null ? {} : {
      Condition = { "ForAnyValue:StringEquals" = { "kms:ResourceAliases" = [var.kms_key_alias] } }
    },
  )

  role_statements = [
    {
      Sid      = "PublishAlerts"
      Effect   = "Allow"
      Action   = ["sns:Publish"]
      Resource = [var.alert_topic_arn]
    },
    local.encrypt_alerts,
    {
      # CloudWatch Logs delivery and X-Ray tracing of Step Functions: these actions do not
      # support resource-level permissions.
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
  ]
}
