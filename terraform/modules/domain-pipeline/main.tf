# The domain's schedule: every project's pipeline, stage by stage, in the waves the dbt manifest
# orders (var.pipeline_stages, from lakehouse.release.project_access). Projects read each other
# both ways (sales' curated reads customers' refined, customers' curated reads sales' refined),
# so no order of whole-project builds works from an empty account; stages do:
#
#   CheckInput -> Ingest (every project's pipeline, stage ingest, at once; skipped with
#   {"ingest": false}) -> Wave1 -> ... -> WaveN -> Publish -> Succeeded
#
# The waves build and test on the domain's audit branch (lakehouse/gate.py); Publish (every
# project's pipeline, stage publish, at once) moves main of every table to it, only after every
# wave passed: no reader sees data of a schedule that failed anywhere.
#
# Each wave is a Parallel state of states:startExecution.sync:2 tasks, one per {project,
# stage}, each starting <abbr>-<env>-<project>-pipeline with {"batch_id", "stage"}. Any failure
# (a child execution failed, timed out or was aborted) -> FormatFailure -> NotifyFailure ->
# Failed: no later wave runs (a curated stage is never built after a failed upstream stage),
# and nothing is published.
locals {
  projects = sort(distinct(flatten([for wave in var.pipeline_stages : [for s in wave : s.project]])))

  state_machine_arn = {
    for p in local.projects : p => "arn:aws:states:${var.region}:${var.account_id}:stateMachine:${var.project_pipeline_names[p]}"
  }
  wave_names = [for i, wave in var.pipeline_stages : "Wave${i + 1}"]

  # A project pipeline's retries are its own (every task retries with backoff); here only
  # Step Functions' own transient refusals are retried, never a failed child execution.
  retry = [{
    ErrorEquals     = ["StepFunctions.ExecutionLimitExceeded", "StepFunctions.SdkClientException"]
    IntervalSeconds = 30
    BackoffRate     = 2
    MaxAttempts     = 3
    JitterStrategy  = "FULL"
  }]

  run_stage = { for p in local.projects : p => {
    for stage in ["ingest", "upstream", "curated", "publish"] : stage => {
      Type     = "Task"
      Resource = "arn:aws:states:::states:startExecution.sync:2"
      Parameters = {
        StateMachineArn = local.state_machine_arn[p]
        Input = {
          "batch_id.$" = "$.batch_id"
          stage        = stage
          # links the child execution to this one in the console
          "AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID.$" = "$$.Execution.Id"
        }
      }
      Retry = local.retry
      End   = true
    }
  } }

  # Ingest and Publish: one stage of every project's pipeline at once
  every_project = {
    for state, spec in {
      Ingest  = { stage = "ingest", next = local.wave_names[0], comment = "Every project's ingestion jobs at once" }
      Publish = { stage = "publish", next = "Succeeded", comment = "Every wave passed: publish every project's audited tables at once" }
      } : state => {
      Type    = "Parallel"
      Comment = "${spec.comment} (stage ${spec.stage})"
      Branches = [for p in local.projects : {
        StartAt = "${p} ${spec.stage}"
        States  = { "${p} ${spec.stage}" = local.run_stage[p][spec.stage] }
      }]
      ResultPath = null
      Catch      = module.failure.catch
      Next       = spec.next
    }
  }

  waves = {
    for i, wave in var.pipeline_stages : local.wave_names[i] => {
      Type    = "Parallel"
      Comment = "Wave ${i + 1}: ${join(", ", [for s in wave : "${s.project} ${s.stage}"])}"
      Branches = [for s in wave : {
        StartAt = "${s.project} ${s.stage}"
        States  = { "${s.project} ${s.stage}" = local.run_stage[s.project][s.stage] }
      }]
      ResultPath = null
      Catch      = module.failure.catch
      Next       = i + 1 < length(var.pipeline_stages) ? local.wave_names[i + 1] : "Publish"
    }
  }

  definition = {
    Comment = "${var.name}: the domain's pipelines, ingestion then stage by stage in the manifest's waves"
    StartAt = "CheckInput"
    States = merge(local.every_project, local.waves, module.failure.states, {
      CheckInput = {
        Type    = "Choice"
        Comment = "Input {\"batch_id\": \"<batch>\"}; {\"ingest\": false} skips the ingestion (the deployment's build)"
        Choices = [
          { Variable = "$.batch_id", IsPresent = false, Next = "MissingBatchId" },
          {
            And  = [{ Variable = "$.ingest", IsPresent = true }, { Variable = "$.ingest", BooleanEquals = false }]
            Next = local.wave_names[0]
          },
        ]
        Default = "Ingest"
      }
      MissingBatchId = {
        Type  = "Fail"
        Error = "MissingBatchId"
        Cause = "Start the domain pipeline with {\"batch_id\": \"<batch>\"} (and {\"ingest\": false} to skip ingestion)."
      }
      Succeeded = { Type = "Succeed" }
    })
  }
}

module "failure" {
  source = "../pipeline-common"

  name            = var.name
  alert_topic_arn = var.alert_topic_arn
  kms_key_alias   = var.kms_key_alias
  cause           = "A stage of a project pipeline failed; no later wave ran. See the alert and the child execution."
}

resource "aws_iam_role" "this" {
  name                 = var.role_name
  description          = "Runs the domain's schedule ${var.name}: starts the project pipelines"
  max_session_duration = 3600
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "states.amazonaws.com" }
      Action    = "sts:AssumeRole"
      Condition = { StringEquals = { "aws:SourceAccount" = var.account_id } }
    }]
  })
}

resource "aws_iam_role_policy" "this" {
  name   = "domain-pipeline-access"
  role   = aws_iam_role.this.id
  policy = jsonencode(local.policy)
}

module "state_machine" {
  source = "../state-machine"

  name               = var.name
  role_arn           = aws_iam_role.this.arn
  definition         = jsonencode(local.definition)
  kms_key_arn        = var.kms_key_arn
  log_retention_days = var.log_retention_days

  depends_on = [aws_iam_role_policy.this]
}
