locals {
  retry = [{
    ErrorEquals     = ["States.ALL"]
    IntervalSeconds = var.retry_interval_seconds
    BackoffRate     = var.retry_backoff_rate
    MaxAttempts     = var.retry_max_attempts
    JitterStrategy  = "FULL"
  }]
  catch = [{
    ErrorEquals = ["States.ALL"]
    ResultPath  = "$.error"
    Next        = "FormatFailure"
  }]

  ingest_state = length(var.glue_job_names) == 0 ? {} : {
    Ingest = {
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
      Next       = "DbtBuild"
    }
  }

  definition = {
    Comment = "Ingestion jobs, then dbt build --select ${var.project}"
    StartAt = length(var.glue_job_names) == 0 ? "DbtBuild" : "Ingest"
    States = merge(local.ingest_state, {
      DbtBuild = {
        Type     = "Task"
        Resource = "arn:aws:states:::codebuild:startBuild.sync"
        Parameters = {
          ProjectName = var.codebuild_project_name
          EnvironmentVariablesOverride = [{
            Name      = "PIPELINE_EXECUTION"
            Type      = "PLAINTEXT"
            "Value.$" = "$$.Execution.Name"
          }]
        }
        ResultPath = null
        Retry      = local.retry
        Catch      = local.catch
        Next       = "Succeeded"
      }
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
        Cause = "A step failed after its retries; see the alert message and the execution history."
      }
      Succeeded = {
        Type = "Succeed"
      }
    })
  }

  buildspec = yamlencode({
    version = "0.2"
    env = {
      variables = {
        DBT_TARGET        = var.environment
        DBT_SELECT        = var.project
        DBT_PROFILES_DIR  = "profiles"
        DBT_GLUE_LOCATION = var.dbt_location
        # one interactive session per project and environment, reused by the next build while idle
        DBT_GLUE_SESSION_ID = var.codebuild_project_name
        RUNS_PREFIX         = "s3://${var.artifacts_bucket}/dbt-runs/${var.project}"
      }
    }
    phases = {
      install = {
        "runtime-versions" = { python = "3.11" }
        commands           = ["pip install --quiet -r requirements-dbt.txt"]
      }
      build = {
        # the environment's shared schemas (not a developer's); unit tests are CI's job, their
        # inputs are fixed, so a scheduled run skips them (dbt's own advice)
        commands = ["dbt build --target \"$DBT_TARGET\" --vars '{shared_schemas: true}' --select \"$DBT_SELECT\" --exclude-resource-type unit_test"]
      }
      post_build = {
        commands = ["aws s3 cp --recursive --exclude '*' --include '*.json' target/ \"$RUNS_PREFIX/$CODEBUILD_BUILD_NUMBER/\" || true"]
      }
    }
  })
}

resource "aws_cloudwatch_log_group" "this" {
  name              = "/aws/vendedlogs/states/${var.name}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn
}

resource "aws_cloudwatch_log_group" "dbt" {
  name              = var.codebuild_log_group_name
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn
}

resource "aws_codebuild_project" "this" {
  name           = var.codebuild_project_name
  description    = "dbt build --select ${var.project} (${var.environment})"
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

resource "aws_sfn_state_machine" "this" {
  name       = var.name
  role_arn   = var.role_arn
  definition = jsonencode(local.definition)

  logging_configuration {
    level                  = "ALL"
    include_execution_data = true
    log_destination        = "${aws_cloudwatch_log_group.this.arn}:*"
  }

  tracing_configuration {
    enabled = true
  }

  depends_on = [aws_codebuild_project.this]
}
