# The role of the domain's schedule: start, watch and stop executions of the domain's project
# pipelines ({abbr}-{env}-*-pipeline) and never of itself; what .sync:2 needs (the EventBridge
# rule Step Functions manages for it); the alert; its logs and traces.
locals {
  pipelines  = "arn:aws:states:${var.region}:${var.account_id}:stateMachine:${var.project_pipeline_name_pattern}"
  executions = "arn:aws:states:${var.region}:${var.account_id}:execution:${var.project_pipeline_name_pattern}:*"
  itself     = "arn:aws:states:${var.region}:${var.account_id}:stateMachine:${var.name}"

  policy = {
    Version = "2012-10-17"
    Statement = concat(module.failure.role_statements, [
      {
        Sid      = "StartProjectPipelines"
        Effect   = "Allow"
        Action   = ["states:StartExecution"]
        Resource = [local.pipelines]
      },
      {
        # the pattern of project pipelines also matches this state machine's own name
        Sid      = "NeverStartItself"
        Effect   = "Deny"
        Action   = ["states:StartExecution"]
        Resource = [local.itself]
      },
      {
        Sid      = "WatchAndStopProjectPipelineExecutions"
        Effect   = "Allow"
        Action   = ["states:DescribeExecution", "states:StopExecution"]
        Resource = [local.executions]
      },
      {
        Sid      = "ManageSyncRuleForStepFunctions"
        Effect   = "Allow"
        Action   = ["events:PutTargets", "events:PutRule", "events:DescribeRule"]
        Resource = ["arn:aws:events:${var.region}:${var.account_id}:rule/StepFunctionsGetEventsForStepFunctionsExecutionRule"]
      },
    ])
  }
}
