# Plan-level invariants of the project root, with a mocked AWS provider (no AWS, no network):
#   terraform -chdir=terraform/project init -backend=false && terraform -chdir=terraform/project test
# (tests/terraform/test_tftest.py runs it). Paths are relative to terraform/project: the
# fixture repository (two scripts, one helper, one refined and one curated model) and an
# empty one. dbt_access is what lakehouse.release.project_access would generate for the
# fixture's sales: what it builds, and two refined relations of other projects it reads.
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
  dbt_access = {
    builds = {
      staging = ["stg_erp__orders"]
      refined = ["orders"]
      curated = ["fct_sales"]
      audit   = ["relationships_orders_customer_id__customer_id__ref_customers_"]
    }
    reads = [
      { project = "customers", layer = "refined", table = "customers" },
      { project = "supply", layer = "refined", table = "part_suppliers" },
    ]
  }
  # what those reads become in the dbt session roles' policies (and nothing else of customers
  # or supply may appear)
  read_objects = [
    "arn:aws:s3:::ie-cmr-dev-refined-123456789012/customers/customers/*",
    "arn:aws:s3:::ie-cmr-dev-refined-123456789012/supply/part_suppliers/*",
  ]
  read_prefixes = ["customers/customers/", "customers/customers/*", "supply/part_suppliers/", "supply/part_suppliers/*"]
  catalog_writes = [
    "glue:CreateTable", "glue:UpdateTable", "glue:DeleteTable", "glue:BatchCreatePartition", "glue:CreatePartition",
    "glue:UpdatePartition", "glue:DeletePartition", "glue:BatchDeletePartition", "glue:CreateDatabase", "glue:DeleteDatabase",
  ]
  s3_writes = ["s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"]
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
    condition     = output.role_arns != null && keys(module.project.role_arns) == ["dbt-dev-session", "dbt-runner", "dbt-session", "glue-job", "pipeline", "table-optimizer"] && module.project.policy_documents != null && contains(keys(output.policy_documents), "cmr-dev-sales-glue-job/glue-job-access") && contains(keys(output.policy_documents), "cmr-dev-sales-dbt-dev-session/dbt-dev-session-access")
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
      && j.default_arguments["--extra-py-files"] == "s3://ie-cmr-dev-artifacts-123456789012/glue/lib/local/lakehouse_jobs-9.8.7-py3-none-any.whl,s3://ie-cmr-dev-artifacts-123456789012/glue/lib/local/lineage-client.zip"
      && j.script_location == "s3://ie-cmr-dev-artifacts-123456789012/glue/sales/${k}.py"
      && tolist(j.connections) == tolist(["cmr-dev-network"])
    ])
    error_message = "jobs must run Glue 5.0 STANDARD with iceberg, the release's job library wheel (glue/lib/<git_sha>/, named after the fixture's __version__) and lineage client zip, --ENV and their script from the artifacts bucket"
  }

  # ---- optimizers for the dbt models of the refined and curated layers
  assert {
    condition     = tolist(output.optimized_tables) == tolist(["cmr_curated.fct_sales", "cmr_refined.orders"])
    error_message = "optimizers must cover models/sales/{refined,curated}/*.sql"
  }

  # ---- pipeline: {batch_id, stage} routes to the jobs (in parallel) and/or the gate;
  # retry, catch, alert, terminal states
  assert {
    condition = (
      jsondecode(output.pipeline_definition).StartAt == "Route"
      && [for c in jsondecode(output.pipeline_definition).States.Route.Choices : c.Next] == ["MissingBatchId", "WholeProject", "Ingest", "Ingest", "Gate"]
      && jsondecode(output.pipeline_definition).States.Route.Default == "UnknownStage"
      && [for c in jsondecode(output.pipeline_definition).States.Route.Choices[4].Or : c.StringEquals] == ["upstream", "curated", "publish"]
      && jsondecode(output.pipeline_definition).States.WholeProject.Result == "all"
      && length(jsondecode(output.pipeline_definition).States.Ingest.Branches) == 2
      && jsondecode(output.pipeline_definition).States.Ingest.Next == "AfterIngest"
      && jsondecode(output.pipeline_definition).States.AfterIngest.Choices[0].Next == "Succeeded"
      && jsondecode(output.pipeline_definition).States.AfterIngest.Default == "Gate"
      && jsondecode(output.pipeline_definition).States.Gate.Resource == "arn:aws:states:::codebuild:startBuild.sync"
      && contains(jsondecode(output.pipeline_definition).States.Gate.Parameters.EnvironmentVariablesOverride, { Name = "STAGE", Type = "PLAINTEXT", "Value.$" = "$.stage" })
      && jsondecode(output.pipeline_definition).States.Gate.Retry[0].MaxAttempts == 3
      && jsondecode(output.pipeline_definition).States.Gate.Retry[0].BackoffRate == 2
      && jsondecode(output.pipeline_definition).States.Gate.Catch[0].Next == "FormatFailure"
      && jsondecode(output.pipeline_definition).States.NotifyFailure.Parameters.TopicArn == "arn:aws:sns:eu-west-1:123456789012:cmr-dev-alerts"
      && jsondecode(output.pipeline_definition).States.Failed.Type == "Fail"
      && jsondecode(output.pipeline_definition).States.Succeeded.Type == "Succeed"
    )
    error_message = "pipeline must route {batch_id, stage}: ingest -> jobs, upstream|curated -> the gate, all (or none) -> jobs then the gate; Retry/Catch -> alert -> Failed"
  }

  assert {
    condition = alltrue([for b in jsondecode(output.pipeline_definition).States.Ingest.Branches :
      b.States[b.StartAt].Resource == "arn:aws:states:::glue:startJobRun.sync" && b.States[b.StartAt].Retry[0].MaxAttempts == 3
      && b.States[b.StartAt].Parameters.Arguments["--BATCH_ID.$"] == "$.batch_id"
    ])
    error_message = "every ingestion branch must run its job synchronously with retries, for the execution's batch_id"
  }

  # ---- the CodeBuild project runs the gate, with the stage the execution gives it
  assert {
    condition = (
      yamldecode(module.project.buildspec).phases.build.commands == ["python -m lakehouse.gate --target \"$DBT_TARGET\" --project \"$DBT_PROJECT\" --stage \"$STAGE\" --vars '{shared_schemas: true}' --exclude-resource-type unit_test --state-dir gate-state"]
      && yamldecode(module.project.buildspec).env.variables.DBT_PROJECT == "sales"
      && yamldecode(module.project.buildspec).env.variables.STAGE == "all"
      && yamldecode(module.project.buildspec).env.variables.DBT_TARGET == "dev"
      && yamldecode(module.project.buildspec).env.variables.DBT_PROFILES_DIR == "profiles"
      && yamldecode(module.project.buildspec).env.variables.DBT_GLUE_LOCATION == "s3://ie-cmr-dev-refined-123456789012/sales/"
      && yamldecode(module.project.buildspec).env.variables.DBT_GLUE_SESSION_ID == "cmr-dev-sales-dbt"
    )
    error_message = "the buildspec must run exactly the gate's command for project sales, stage $STAGE (default all), in the shared schemas"
  }

  # ---- metrics: the gate puts them in the domain's namespace, and only the roles that put
  # them (the jobs', the gate's runner) may, only there
  assert {
    condition     = yamldecode(module.project.buildspec).env.variables.METRIC_NAMESPACE == "cmr/lakehouse"
    error_message = "the buildspec must give the gate the domain's metric namespace (METRIC_NAMESPACE)"
  }

  assert {
    condition = {
      for name, doc in output.policy_documents : name => [
        for s in jsondecode(doc).Statement : s.Condition.StringEquals["cloudwatch:namespace"] if s.Sid == "PutDomainMetrics"
      ] if strcontains(doc, "PutDomainMetrics")
      } == {
      "cmr-dev-sales-glue-job/glue-job-access"     = ["cmr/lakehouse"]
      "cmr-dev-sales-dbt-runner/dbt-runner-access" = ["cmr/lakehouse"]
    }
    error_message = "cloudwatch:PutMetricData in the domain's namespace: the glue-job and dbt-runner roles only, conditioned on cloudwatch:namespace"
  }

  # ---- alarms to the alert topic, thresholds, dimensions; the dashboard
  assert {
    # (as JSON: a map of dimensions never equals an object literal)
    condition = jsonencode({ for name, a in output.alarms : name => [a.namespace, a.metric, a.dimensions, a.statistic, a.comparison, a.threshold] }) == jsonencode({
      "cmr-dev-sales-gate-failed"                   = ["cmr/lakehouse", "GateFailed", { Project = "sales" }, "Maximum", "GreaterThanOrEqualToThreshold", 1]
      "cmr-dev-sales-stale-source"                  = ["cmr/lakehouse", "StaleSources", { Project = "sales" }, "Maximum", "GreaterThanOrEqualToThreshold", 1]
      "cmr-dev-sales-pipeline-failed"               = ["AWS/States", "ExecutionsFailed", { StateMachineArn = output.state_machine_arn }, "Sum", "GreaterThanOrEqualToThreshold", 1]
      "cmr-dev-sales-ingest-lineitems-reject-ratio" = ["cmr/lakehouse", "RejectRatio", { Project = "sales", Job = "cmr-dev-sales-ingest-lineitems" }, "Maximum", "GreaterThanThreshold", 0.01]
      "cmr-dev-sales-ingest-orders-reject-ratio"    = ["cmr/lakehouse", "RejectRatio", { Project = "sales", Job = "cmr-dev-sales-ingest-orders" }, "Maximum", "GreaterThanThreshold", 0.01]
    })
    error_message = "the project's alarms: a failed gate, a stale source, a failed pipeline and each job's reject ratio over 0.01 (the default)"
  }

  assert {
    condition     = alltrue([for a in output.alarms : a.actions == toset(["arn:aws:sns:eu-west-1:123456789012:cmr-dev-alerts"]) && a.missing == "notBreaching" && a.period == 300])
    error_message = "every alarm notifies the domain's alert topic, over 300 s, and treats missing data (no run) as fine"
  }

  assert {
    condition = (
      output.dashboard_name == "cmr-dev-sales"
      && [for w in jsondecode(output.dashboard_body).widgets : w.properties.title] == [
        "Alarms of sales", "Ingestion: rows read, written, rejected per run", "Ingestion: reject ratio (alarm above the line)",
        "Ingestion: duration (seconds)", "Gate: tests failed, stale sources, failed runs",
        "Gate: freshness lag per source (seconds since its newest load)", "Pipeline executions", "Gate: duration (seconds)",
      ]
      && length(jsondecode(output.dashboard_body).widgets[0].properties.alarms) == 5
    )
    error_message = "the dashboard cmr-dev-sales: the alarms, the jobs' rows, reject ratio and duration, the gate's tests, freshness lag and duration, the pipeline's executions"
  }

  # ---- IAM scoping: S3 object ARNs only under the project's prefixes, shared code, or exactly
  # the generated reads
  assert {
    condition = alltrue(flatten([for name, doc in output.policy_documents : [
      for s in jsondecode(doc).Statement : [
        for r in flatten([s.Resource]) :
        !startswith(r, "arn:aws:s3:::") || !strcontains(r, "/") || strcontains(r, "/sales/") || can(regex("-artifacts-[0-9]{12}/(glue/lib|dbt)/", r)) || contains(var.read_objects, r)
      ]
    ]]))
    error_message = "an S3 object resource outside {bucket}/sales/ (other than a generated read) crept into a project policy"
  }

  assert {
    condition = alltrue(flatten([for name, doc in output.policy_documents : [
      for s in jsondecode(doc).Statement : concat(
        # a segment of an ARN named after another project (a table name may contain one)
        [for r in flatten([s.Resource]) : contains(var.read_objects, r) || length(setintersection(split("/", replace(r, ":", "/")), ["customers", "supply"])) == 0],
        [for p in flatten([try(s.Condition.StringLike["s3:prefix"], [])]) : contains(var.read_prefixes, p) || length(setintersection(split("/", p), ["customers", "supply"])) == 0],
      )
    ]]))
    error_message = "another project's name appears in a sales policy other than in the generated reads"
  }

  # ---- the generated reads: customers' refined customers table, read-only, in both dbt
  # session roles, and no other role
  assert {
    condition = alltrue([for role in ["dbt-session", "dbt-dev-session"] :
      anytrue([for s in jsondecode(output.policy_documents["cmr-dev-sales-${role}/${role}-access"]).Statement :
        contains(flatten([s.Resource]), "arn:aws:s3:::ie-cmr-dev-refined-123456789012/customers/customers/*") && flatten([s.Action]) == ["s3:GetObject"]
      ])
    ])
    error_message = "the dbt session roles must read customers' refined customers table (a generated read), read-only"
  }

  assert {
    condition = alltrue(flatten([for name, doc in output.policy_documents : [
      for s in jsondecode(doc).Statement : [
        for r in flatten([s.Resource]) : !contains(var.read_objects, r) || (flatten([s.Action]) == ["s3:GetObject"] && strcontains(name, "-session/"))
      ]
    ]]))
    error_message = "a generated read must be s3:GetObject only, and only in the dbt session roles"
  }

  # ---- catalog writes: exactly the tables the project builds (and a snapshot's staging view)
  assert {
    condition = toset(flatten([for s in jsondecode(output.policy_documents["cmr-dev-sales-dbt-session/dbt-session-access"]).Statement :
      [for r in flatten([s.Resource]) : r if strcontains(r, ":table/")] if contains(flatten([s.Action]), "glue:CreateTable")
      ])) == toset([
      "arn:aws:glue:eu-west-1:123456789012:table/cmr_staging/stg_erp__orders",
      "arn:aws:glue:eu-west-1:123456789012:table/cmr_refined/orders",
      "arn:aws:glue:eu-west-1:123456789012:table/cmr_refined/orders__dbt_tmp",
      "arn:aws:glue:eu-west-1:123456789012:table/cmr_curated/fct_sales",
      "arn:aws:glue:eu-west-1:123456789012:table/cmr_audit/relationships_orders_customer_id__customer_id__ref_customers_",
    ])
    error_message = "the dbt-session role must write exactly the tables of dbt_access.builds in the shared schemas"
  }

  # ---- the developers' session role writes no shared schema and no shared prefix
  assert {
    condition = alltrue(flatten([for s in jsondecode(output.policy_documents["cmr-dev-sales-dbt-dev-session/dbt-dev-session-access"]).Statement : [
      for r in flatten([s.Resource]) :
      contains(["arn:aws:glue:eu-west-1:123456789012:catalog", "arn:aws:glue:eu-west-1:123456789012:database/default"], r) || can(regex("^arn:aws:glue:eu-west-1:123456789012:(database|table)/cmr_(staging|refined|curated|audit)_\\*(/|$)", r)) || can(regex("^arn:aws:s3:::ie-cmr-dev-(refined|curated)-123456789012/sales/_developers/\\*$|^arn:aws:s3:::ie-cmr-dev-artifacts-123456789012/audit/sales/_developers/\\*$", r))
      ] if length(setintersection(flatten([s.Action]), concat(var.catalog_writes, var.s3_writes))) > 0
    ]))
    error_message = "the dbt-dev-session role may write only developers' schemas (cmr_<layer>_*; Spark's default database) and the project's _developers/ prefixes"
  }

  # ---- each client passes only its own session role, runs only its own sessions
  assert {
    condition = (
      [for s in jsondecode(output.policy_documents["cmr-dev-sales-dbt-caller"]).Statement : s.Resource if s.Action == "iam:PassRole"] == ["arn:aws:iam::123456789012:role/cmr-dev-sales-dbt-session"]
      && [for s in jsondecode(output.policy_documents["cmr-dev-sales-dbt-developer"]).Statement : s.Resource if s.Action == "iam:PassRole"] == ["arn:aws:iam::123456789012:role/cmr-dev-sales-dbt-dev-session"]
      && flatten([for s in jsondecode(output.policy_documents["cmr-dev-sales-dbt-caller"]).Statement : s.Resource if s.Sid == "RunOwnInteractiveSessions"]) == ["arn:aws:glue:eu-west-1:123456789012:session/cmr-dev-sales-dbt", "arn:aws:glue:eu-west-1:123456789012:session/cmr-dev-sales-dbt__*"]
      && flatten([for s in jsondecode(output.policy_documents["cmr-dev-sales-dbt-developer"]).Statement : s.Resource if s.Sid == "RunOwnInteractiveSessions"]) == ["arn:aws:glue:eu-west-1:123456789012:session/dbt-*"]
    )
    error_message = "dbt-caller passes only dbt-session and runs only the pipeline's sessions; dbt-developer passes only dbt-dev-session and runs only dbt-* sessions"
  }

  assert {
    condition = (
      !strcontains(output.policy_documents["cmr-dev-sales-dbt-caller"], "glue:CreateDatabase")
      && alltrue(flatten([for s in jsondecode(output.policy_documents["cmr-dev-sales-dbt-developer"]).Statement : [
        for r in flatten([s.Resource]) : !can(regex(":(database|table|userDefinedFunction)/cmr_(raw|staging|refined|curated|audit)(/|$)", r))
      ] if contains(flatten([s.Action]), "glue:CreateDatabase")]))
    )
    error_message = "the pipeline's caller creates no database; developers create, drop and update only developers' schemas"
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
        for p in flatten([try(s.Condition.StringLike["s3:prefix"], [])]) : startswith(p, "sales/") || can(regex("^(glue|tmp|audit|landing|archive|dbt-state)/(sales|lib)(/|$)", p)) || contains(var.read_prefixes, p)
      ]
    ]]))
    error_message = "s3:ListBucket must be limited to the project's prefixes and the generated reads' tables"
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
    condition = (
      !contains(keys(jsondecode(output.pipeline_definition).States), "Ingest")
      && [for c in jsondecode(output.pipeline_definition).States.Route.Choices : c.Next] == ["MissingBatchId", "WholeProject", "Succeeded", "Gate", "Gate"]
    )
    error_message = "without jobs the ingest stage does nothing and the pipeline goes straight to the gate"
  }

  assert {
    condition     = !strcontains(output.policy_documents["cmr-dev-sales-pipeline/pipeline-access"], "glue:StartJobRun")
    error_message = "without jobs the pipeline role may start no Glue job"
  }

  assert {
    condition = (
      toset(keys(output.alarms)) == toset(["cmr-dev-sales-gate-failed", "cmr-dev-sales-stale-source", "cmr-dev-sales-pipeline-failed"])
      && length(jsondecode(output.dashboard_body).widgets) == 5
    )
    error_message = "without jobs: no reject-ratio alarm and no ingestion widget"
  }
}

run "reject_ratio_thresholds_per_project_and_job" {
  command = plan

  variables {
    settings = {
      alarm_reject_ratio  = 0.03
      alarm_reject_ratios = { sales = 0.02, "sales/ingest_orders" = 0.005, customers = 0.5, "supply/ingest_lineitems" = 0.4 }
    }
  }

  assert {
    condition = {
      for name, a in output.alarms : a.dimensions.Job => a.threshold if a.metric == "RejectRatio"
      } == {
      "cmr-dev-sales-ingest-lineitems" = 0.02
      "cmr-dev-sales-ingest-orders"    = 0.005
    }
    error_message = "a job's threshold is its <project>/<job> entry, else its project's, else alarm_reject_ratio; other projects' entries are ignored"
  }
}

run "a_reject_ratio_threshold_above_one_is_refused" {
  command = plan

  variables {
    settings = { alarm_reject_ratios = { sales = 5 } }
  }

  expect_failures = [var.settings]
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

run "lineage_goes_to_the_configured_endpoint_with_its_key_from_secrets_manager" {
  command = plan

  variables {
    settings = { lineage_url = "https://marquez.example.com", lineage_api_key_secret = true }
  }

  assert {
    condition = alltrue([for k, j in output.glue_jobs :
      j.default_arguments["--OPENLINEAGE_URL"] == "https://marquez.example.com"
      && j.default_arguments["--OPENLINEAGE_API_KEY_SECRET"] == "cmr/dev/sales/openlineage"
    ])
    error_message = "every job gets the endpoint and the name of its API key's secret (inside the project's secret prefix, which the job role reads)"
  }

  assert {
    condition = (
      yamldecode(module.project.buildspec).env.variables.OPENLINEAGE_URL == "https://marquez.example.com"
      && yamldecode(module.project.buildspec).env["secrets-manager"].OPENLINEAGE_API_KEY == "cmr/dev/sales/openlineage"
    )
    error_message = "the gate's build gets OPENLINEAGE_URL and OPENLINEAGE_API_KEY from Secrets Manager"
  }

  assert {
    condition     = strcontains(output.policy_documents["cmr-dev-sales-dbt-runner/dbt-runner-access"], "secret:cmr/dev/sales/openlineage-??????")
    error_message = "the dbt-runner may read the API key's secret, and no other"
  }
}

run "without_an_endpoint_lineage_stays_in_the_logs" {
  command = plan

  assert {
    condition = alltrue([for k, j in output.glue_jobs :
      !contains(keys(j.default_arguments), "--OPENLINEAGE_URL")
      && !contains(keys(j.default_arguments), "--OPENLINEAGE_API_KEY_SECRET")
    ])
    error_message = "without lineage_url the jobs get no endpoint (their events go to their log)"
  }

  assert {
    condition     = !contains(keys(yamldecode(module.project.buildspec).env), "secrets-manager") && !contains(keys(yamldecode(module.project.buildspec).env.variables), "OPENLINEAGE_URL")
    error_message = "without lineage_url the gate's build gets no endpoint and reads no secret"
  }

  assert {
    condition     = !strcontains(output.policy_documents["cmr-dev-sales-dbt-runner/dbt-runner-access"], "secretsmanager")
    error_message = "without an API key the dbt-runner reads no secret"
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
    dbt_access  = { builds = { staging = [], refined = [], curated = [], audit = [] }, reads = [] }
  }

  assert {
    condition = output.project == "newproj" && output.default_tags.project == "newproj" && toset(keys(output.policy_documents)) == toset([
      "cmr-dev-newproj-dbt-caller", "cmr-dev-newproj-dbt-developer", "cmr-dev-newproj-dbt-runner/dbt-runner-access",
      "cmr-dev-newproj-dbt-session/dbt-session-access", "cmr-dev-newproj-dbt-dev-session/dbt-dev-session-access",
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

run "a_project_that_builds_and_reads_nothing_gets_no_table_grant" {
  command = plan

  variables {
    source_root = var.empty_root
    dbt_access  = { builds = { staging = [], refined = [], curated = [], audit = [] }, reads = [] }
  }

  assert {
    condition = alltrue([for role in ["dbt-session", "dbt-dev-session"] :
      !strcontains(output.policy_documents["cmr-dev-sales-${role}/${role}-access"], "glue:CreateTable")
      && !strcontains(output.policy_documents["cmr-dev-sales-${role}/${role}-access"], "ReadOtherProjectsRefs")
    ])
    error_message = "without builds and reads the dbt session roles get no catalog write and no read of another project"
  }
}

run "a_wildcard_table_name_is_refused" {
  command = plan

  variables {
    dbt_access = { builds = { staging = [], refined = ["orders*"], curated = [], audit = [] }, reads = [] }
  }

  expect_failures = [var.dbt_access]
}

run "a_read_of_another_projects_staging_view_is_refused" {
  command = plan

  variables {
    dbt_access = {
      builds = { staging = [], refined = ["orders"], curated = [], audit = [] }
      reads  = [{ project = "customers", layer = "staging", table = "stg_crm__customers" }]
    }
  }

  expect_failures = [var.dbt_access]
}

run "a_read_of_the_own_project_is_refused" {
  command = plan

  variables {
    dbt_access = {
      builds = { staging = [], refined = ["orders"], curated = [], audit = [] }
      reads  = [{ project = "sales", layer = "refined", table = "orders" }]
    }
  }

  expect_failures = [var.dbt_access]
}
