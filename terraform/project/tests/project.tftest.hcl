# Plan-level invariants of the project root, with a mocked AWS provider (no AWS, no network):
#   terraform -chdir=terraform/project init -backend=false && terraform -chdir=terraform/project test
# (tests/terraform/test_tftest.py runs it). Paths are relative to terraform/project: the
# fixture repository (two scripts, one helper, one refined and one curated model) and an
# empty one.
mock_provider "aws" {
  mock_data "aws_caller_identity" {
    defaults = {
      account_id = "123456789012"
      arn        = "arn:aws:iam::123456789012:user/test"
    }
  }

  mock_data "aws_kms_alias" {
    defaults = {
      target_key_arn = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555"
    }
  }

  mock_resource "aws_iam_role" {
    defaults = {
      arn = "arn:aws:iam::123456789012:role/mocked"
    }
  }

  mock_resource "aws_iam_policy" {
    defaults = {
      arn = "arn:aws:iam::123456789012:policy/mocked"
    }
  }

  mock_resource "aws_cloudwatch_log_group" {
    defaults = {
      arn = "arn:aws:logs:eu-west-1:123456789012:log-group:mocked"
    }
  }
}

variables {
  project     = "sales"
  environment = "dev"
  source_root = "../../tests/terraform/fixtures/repo"
  empty_root  = "../../tests/terraform/fixtures/empty"
  settings = {
    retry_max_attempts = 3
  }
  # Actions AWS only grants on Resource "*" (no resource-level permissions).
  wildcard_allowed_actions = [
    "cloudwatch:PutMetricData",
    "ec2:DescribeNetworkInterfaces", "ec2:DescribeRouteTables", "ec2:DescribeSecurityGroups",
    "ec2:DescribeSubnets", "ec2:DescribeVpcAttribute", "ec2:DescribeVpcEndpoints",
    "glue:ListSessions", "lakeformation:GetDataAccess", "lakeformation:BatchGrantPermissions", "sts:GetCallerIdentity",
    "logs:CreateLogDelivery", "logs:DeleteLogDelivery", "logs:DescribeLogGroups",
    "logs:DescribeResourcePolicies", "logs:GetLogDelivery", "logs:ListLogDeliveries",
    "logs:PutResourcePolicy", "logs:UpdateLogDelivery",
    "xray:GetSamplingRules", "xray:GetSamplingTargets", "xray:PutTelemetryRecords", "xray:PutTraceSegments",
  ]
}

run "project_with_scripts_and_models" {
  command = apply

  # ---- the name comes from var.project
  assert {
    condition     = output.project == "sales"
    error_message = "the project name must be var.project"
  }

  assert {
    condition     = output.role_arns != null && keys(module.project.role_arns) == ["dbt-runner", "dbt-session", "glue-job", "pipeline", "table-optimizer"] && module.project.policy_documents != null && contains(keys(output.policy_documents), "cmr-dev-sales-glue-job/glue-job-access")
    error_message = "roles must be {abbr}-{env}-{project}-{purpose}"
  }

  # ---- jobs discovered from ingestion/jobs/sales/*.py (helpers starting with _ skipped)
  assert {
    condition     = { for k, j in output.glue_jobs : k => j.name } == { ingest_lineitems = "cmr-dev-sales-ingest-lineitems", ingest_orders = "cmr-dev-sales-ingest-orders" }
    error_message = "Glue jobs must be {abbr}-{env}-{project}-{job}, one per script"
  }

  assert {
    condition = alltrue([for k, j in output.glue_jobs :
      j.glue_version == "5.0" && j.execution_class == "STANDARD"
      && j.default_arguments["--datalake-formats"] == "iceberg"
      && j.default_arguments["--ENV"] == "dev"
      && j.default_arguments["--PROJECT"] == "sales"
      && j.default_arguments["--ACCOUNT_ID"] == "123456789012"
      && j.default_arguments["--extra-py-files"] == "s3://ie-cmr-dev-artifacts-123456789012/glue/lib/local/lakehouse_jobs-9.8.7-py3-none-any.whl"
      && j.script_location == "s3://ie-cmr-dev-artifacts-123456789012/glue/sales/${k}.py"
      && tolist(j.connections) == tolist(["cmr-dev-network"])
    ])
    error_message = "jobs must run Glue 5.0 STANDARD with iceberg, the release's job library wheel (glue/lib/<git_sha>/, named after the fixture's __version__), --ENV and their script from the artifacts bucket"
  }

  # ---- optimizers for the dbt models of the refined and curated layers
  assert {
    condition     = tolist(output.optimized_tables) == tolist(["cmr_curated.fct_sales", "cmr_refined.orders"])
    error_message = "optimizers must cover models/sales/{refined,curated}/*.sql"
  }

  # ---- pipeline: jobs in parallel, then dbt; retry, catch, alert, terminal states
  assert {
    condition = (
      jsondecode(output.pipeline_definition).StartAt == "Ingest"
      && length(jsondecode(output.pipeline_definition).States.Ingest.Branches) == 2
      && jsondecode(output.pipeline_definition).States.Ingest.Next == "DbtBuild"
      && jsondecode(output.pipeline_definition).States.DbtBuild.Resource == "arn:aws:states:::codebuild:startBuild.sync"
      && jsondecode(output.pipeline_definition).States.DbtBuild.Retry[0].MaxAttempts == 3
      && jsondecode(output.pipeline_definition).States.DbtBuild.Retry[0].BackoffRate == 2
      && jsondecode(output.pipeline_definition).States.DbtBuild.Catch[0].Next == "FormatFailure"
      && jsondecode(output.pipeline_definition).States.NotifyFailure.Parameters.TopicArn == "arn:aws:sns:eu-west-1:123456789012:cmr-dev-alerts"
      && jsondecode(output.pipeline_definition).States.Failed.Type == "Fail"
      && jsondecode(output.pipeline_definition).States.Succeeded.Type == "Succeed"
    )
    error_message = "pipeline must be Ingest -> DbtBuild -> Succeeded with Retry/Catch -> alert -> Failed"
  }

  assert {
    condition = alltrue([for b in jsondecode(output.pipeline_definition).States.Ingest.Branches :
      b.States[b.StartAt].Resource == "arn:aws:states:::glue:startJobRun.sync" && b.States[b.StartAt].Retry[0].MaxAttempts == 3
      && b.States[b.StartAt].Parameters.Arguments["--BATCH_ID.$"] == "$.batch_id"
    ])
    error_message = "every ingestion branch must run its job synchronously with retries, for the execution's batch_id"
  }

  # ---- IAM scoping: S3 object ARNs only under the project's prefixes (or shared code)
  assert {
    condition = alltrue(flatten([for name, doc in output.policy_documents : [
      for s in jsondecode(doc).Statement : [
        for r in flatten([s.Resource]) :
        !startswith(r, "arn:aws:s3:::") || !strcontains(r, "/") || strcontains(r, "/sales/") || can(regex("-artifacts-[0-9]{12}/(glue/lib|dbt)/", r))
      ]
    ]]))
    error_message = "an S3 object resource outside {bucket}/sales/ crept into a project policy"
  }

  assert {
    condition = alltrue(flatten([for name, doc in output.policy_documents : [
      for s in jsondecode(doc).Statement : [
        for r in flatten([s.Resource]) : !strcontains(r, "customers") && !strcontains(r, "supply")
      ]
    ]]))
    error_message = "another project's name appears in a sales policy"
  }

  assert {
    condition = alltrue(flatten([for name, doc in output.policy_documents : [
      for s in jsondecode(doc).Statement :
      !contains(flatten([s.Resource]), "*") || length(setsubtract(flatten([s.Action]), var.wildcard_allowed_actions)) == 0
    ]]))
    error_message = "Resource \"*\" is only allowed for actions without resource-level permissions"
  }

  assert {
    condition = alltrue(flatten([for name, doc in output.policy_documents : [
      for s in jsondecode(doc).Statement : [
        for p in flatten([try(s.Condition.StringLike["s3:prefix"], [])]) : startswith(p, "sales/") || can(regex("^(glue|tmp|audit|landing|archive)/(sales|lib)/", p))
      ]
    ]]))
    error_message = "s3:ListBucket must be limited to the project's prefixes"
  }

  assert {
    condition     = output.default_tags.project == "sales" && output.default_tags.git_sha == "local"
    error_message = "project resources must carry the project and traceability tags"
  }
}

run "project_without_scripts_or_models" {
  command = apply

  variables {
    source_root = var.empty_root
  }

  assert {
    condition     = length(output.glue_jobs) == 0 && length(output.optimized_tables) == 0
    error_message = "a project without scripts or models gets no jobs and no optimizers"
  }

  assert {
    condition     = jsondecode(output.pipeline_definition).StartAt == "DbtBuild" && !contains(keys(jsondecode(output.pipeline_definition).States), "Ingest")
    error_message = "without jobs the pipeline starts with dbt"
  }

  assert {
    condition     = !strcontains(output.policy_documents["cmr-dev-sales-pipeline/pipeline-access"], "glue:StartJobRun")
    error_message = "without jobs the pipeline role may start no Glue job"
  }
}

run "optimizers_can_be_switched_off" {
  command = plan

  variables {
    settings = { table_optimizers_enabled = false }
  }

  assert {
    condition     = length(output.optimized_tables) == 0
    error_message = "table_optimizers_enabled = false must create no optimizer"
  }
}

run "optimizers_only_for_tables_that_exist" {
  command = plan

  variables {
    existing_tables = ["cmr_refined.orders", "cmr_refined.not_a_model"]
  }

  assert {
    condition     = tolist(output.optimized_tables) == tolist(["cmr_refined.orders"])
    error_message = "with existing_tables, only the models' tables that exist get optimizers (AWS refuses one for a missing table)"
  }
}

run "one_root_for_every_project" {
  command = plan

  variables {
    project     = "newproj"
    source_root = var.empty_root
  }

  assert {
    condition = output.project == "newproj" && output.default_tags.project == "newproj" && toset(keys(output.policy_documents)) == toset([
      "cmr-dev-newproj-dbt-caller", "cmr-dev-newproj-dbt-runner/dbt-runner-access", "cmr-dev-newproj-dbt-session/dbt-session-access",
      "cmr-dev-newproj-glue-job/glue-job-access", "cmr-dev-newproj-pipeline/pipeline-access", "cmr-dev-newproj-table-optimizer/table-optimizer-access",
    ])
    error_message = "the same root with another var.project must name every role and policy after that project"
  }

  assert {
    condition     = !strcontains(join("\n", values(output.policy_documents)), "sales")
    error_message = "a policy of project newproj must not name sales"
  }
}

run "project_name_is_validated" {
  command = plan

  variables {
    project = "Sales__eu"
  }

  expect_failures = [var.project]
}
