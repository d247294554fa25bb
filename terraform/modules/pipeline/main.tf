locals {
  retry = [{
    ErrorEquals     = ["States.ALL"]
    IntervalSeconds = var.retry_interval_seconds
    BackoffRate     = var.retry_backoff_rate
    MaxAttempts     = var.retry_max_attempts
    JitterStrategy  = "FULL"
  }]
  catch = module.failure.catch

  has_jobs = length(var.glue_job_names) > 0

  # Input {"batch_id": "<batch>", "stage": "ingest" | "upstream" | "curated" | "publish" | "all"}:
  # the domain's schedule runs one stage of every project at a time, publishing last
  # (terraform/modules/domain-pipeline); without a stage, the whole project: ingestion, then
  # the gate (all: both stages on the project's own audit branch, then its publish).
  route_state = {
    Route = {
      Type    = "Choice"
      Comment = "What this execution runs: {batch_id, stage}"
      Choices = [
        { Variable = "$.batch_id", IsPresent = false, Next = "MissingBatchId" },
        { Variable = "$.stage", IsPresent = false, Next = "WholeProject" },
        { Variable = "$.stage", StringEquals = "ingest", Next = local.has_jobs ? "Ingest" : "Succeeded" },
        { Variable = "$.stage", StringEquals = "all", Next = local.has_jobs ? "Ingest" : "Gate" },
        { Or = [for s in ["upstream", "curated", "publish"] : { Variable = "$.stage", StringEquals = s }], Next = "Gate" },
      ]
      Default = "UnknownStage"
    }
    WholeProject = {
      Type       = "Pass"
      Comment    = "No stage given: ingestion, then every stage of the gate"
      Result     = "all"
      ResultPath = "$.stage"
      Next       = "Route"
    }
    MissingBatchId = {
      Type  = "Fail"
      Error = "MissingBatchId"
      Cause = "Start the pipeline with {\"batch_id\": \"<batch>\"} (and optionally \"stage\")."
    }
    UnknownStage = {
      Type  = "Fail"
      Error = "UnknownStage"
      Cause = "stage must be ingest, upstream, curated, publish or all."
    }
  }

  ingest = {
    Type    = "Parallel"
    Comment = "Run the project's ingestion jobs"
    Branches = [for j in var.glue_job_names : {
      StartAt = j
      States = {
        (j) = {
          Type     = "Task"
          Resource = "arn:aws:states:::glue:startJobRun.sync"
          Parameters = {
            JobName = j
            # the batch the execution was started for: {"batch_id": "<batch>"} (docs/terraform.md)
            Arguments = {
              "--BATCH_ID.$"           = "$.batch_id"
              "--PIPELINE_EXECUTION.$" = "$$.Execution.Name"
            }
          }
          Retry = local.retry
          End   = true
        }
      }
    }]
    ResultPath = null
    Catch      = local.catch
    Next       = "AfterIngest"
  }
  after_ingest = {
    Type    = "Choice"
    Choices = [{ Variable = "$.stage", StringEquals = "ingest", Next = "Succeeded" }]
    Default = "Gate"
  }

  definition = {
    Comment = "${var.name}: ingestion jobs and the quality gate of ${var.project}, by stage"
    StartAt = "Route"
    States = merge(
      local.route_state,
      local.has_jobs ? { Ingest = local.ingest } : {},
      local.has_jobs ? { AfterIngest = local.after_ingest } : {},
      module.failure.states,
      {
        Gate = {
          Type     = "Task"
          Resource = "arn:aws:states:::codebuild:startBuild.sync"
          Comment  = "python -m lakehouse.gate --project ${var.project} --stage <stage>"
          Parameters = {
            ProjectName = var.codebuild_project_name
            EnvironmentVariablesOverride = [
              { Name = "STAGE", Type = "PLAINTEXT", "Value.$" = "$.stage" },
              { Name = "BATCH_ID", Type = "PLAINTEXT", "Value.$" = "$.batch_id" },
              { Name = "PIPELINE_EXECUTION", Type = "PLAINTEXT", "Value.$" = "$$.Execution.Name" },
            ]
          }
          ResultPath = null
          Retry      = local.retry
          Catch      = local.catch
          Next       = "Succeeded"
        }
        Succeeded = {
          Type = "Succeed"
        }
    })
  }

  buildspec = yamlencode({
    version = "0.2"
    env = merge({
      variables = merge({
        DBT_TARGET  = var.environment
        DBT_PROJECT = var.project
        # the pipeline's execution overrides it with its stage (upstream, curated or all)
        STAGE             = "all"
        DBT_PROFILES_DIR  = "profiles"
        DBT_GLUE_LOCATION = var.dbt_location
        # one interactive session per project and environment, reused by the next build while idle
        DBT_GLUE_SESSION_ID = var.dbt_session_id
        RUNS_PREFIX         = "s3://${var.artifacts_bucket}/dbt-runs/${var.project}"
        # what the project last published (lakehouse/published_state.py): a build builds only
        # what changed since
        STATE_PREFIX = "s3://${var.artifacts_bucket}/dbt-state/${var.project}/"
        # the gate puts its run's metrics there (lakehouse.run_log); only the pipeline sets it
        METRIC_NAMESPACE = var.metric_namespace
        # the gate's OpenLineage events (docs/lineage.md): to the endpoint, else the build log
      }, var.lineage_url == null ? {} : { OPENLINEAGE_URL = var.lineage_url })
    }, var.lineage_key_secret == null ? {} : { "secrets-manager" = { OPENLINEAGE_API_KEY = var.lineage_key_secret } })
    phases = {
      install = {
        "runtime-versions" = { python = "3.11" }
        commands           = ["pip install --quiet -r requirements-dbt.txt"]
      }
      pre_build = {
        commands = ["aws s3 sync --only-show-errors \"$STATE_PREFIX\" \"gate-state/$DBT_PROJECT\""]
      }
      build = {
        # the quality gate (lakehouse/gate.py, shipped in the bundle): the stage's dbt build,
        # promoting nothing of a later stage when a test failed; the environment's shared
        # schemas (not a developer's); unit tests are CI's job, their inputs are fixed, so a
        # scheduled run skips them (dbt's own advice)
        commands = [local.gate_command]
      }
      post_build = {
        commands = [
          "aws s3 sync --only-show-errors --delete \"gate-state/$DBT_PROJECT\" \"$STATE_PREFIX\"",
          "aws s3 cp --recursive --exclude '*' --include '*.json' target/ \"$RUNS_PREFIX/$CODEBUILD_BUILD_NUMBER/\" || true",
        ]
      }
    }
  })
  gate_command = "python -m lakehouse.gate --target \"$DBT_TARGET\" --project \"$DBT_PROJECT\" --stage \"$STAGE\" --vars '{shared_schemas: true}' --exclude-resource-type unit_test --state-dir gate-state"
}

module "failure" {
  source = "../pipeline-common"

  name            = var.name
  alert_topic_arn = var.alert_topic_arn
  kms_key_arn     = var.kms_key_arn
}

resource "aws_cloudwatch_log_group" "dbt" {
  name              = var.codebuild_log_group_name
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn
}

resource "aws_codebuild_project" "this" {
  name           = var.codebuild_project_name
  description    = "The quality gate of ${var.project} (${var.environment}): python -m lakehouse.gate --stage <stage>"
  service_role   = var.codebuild_role_arn
  encryption_key = var.kms_key_arn
  build_timeout  = var.dbt_timeout_minutes

  source {
    type      = "S3"
    location  = "${var.artifacts_bucket}/${var.dbt_bundle_key}"
    buildspec = local.buildspec
  }

  artifacts {
    type = "NO_ARTIFACTS"
  }

  environment {
    type                        = "LINUX_CONTAINER"
    compute_type                = var.codebuild_compute_type
    image                       = var.codebuild_image
    image_pull_credentials_type = "CODEBUILD"
    privileged_mode             = false

    environment_variable {
      name  = "DBT_GLUE_ROLE_ARN"
      value = var.dbt_session_role_arn
    }
  }

  logs_config {
    cloudwatch_logs {
      status     = "ENABLED"
      group_name = aws_cloudwatch_log_group.dbt.name
    }

    s3_logs {
      status = "DISABLED"
    }
  }
}

module "state_machine" {
  source = "../state-machine"

  name               = var.name
  role_arn           = var.role_arn
  definition         = jsonencode(local.definition)
  kms_key_arn        = var.kms_key_arn
  log_retention_days = var.log_retention_days

  depends_on = [aws_codebuild_project.this]
}

moved {
  from = aws_sfn_state_machine.this
  to   = module.state_machine.aws_sfn_state_machine.this
}

moved {
  from = aws_cloudwatch_log_group.this
  to   = module.state_machine.aws_cloudwatch_log_group.this
}
