# Plan-level invariants of the baseline stack, with a mocked AWS provider (no AWS, no network):
#   terraform -chdir=terraform/baseline init -backend=false && terraform -chdir=terraform/baseline test
# (tests/terraform/test_tftest.py runs it). pipeline_stages is the domain's schedule as
# lakehouse.release.project_access derives it from the repository's manifest.
mock_provider "aws" {
  mock_data "aws_caller_identity" {
    defaults = {
      account_id = "123456789012"
      arn        = "arn:aws:iam::123456789012:user/test"
    }
  }

  mock_resource "aws_kms_key" {
    defaults = {
      arn    = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-4cd3-8ef5-1234567890ab"
      key_id = "1234abcd-12ab-4cd3-8ef5-1234567890ab"
    }
  }

  mock_data "aws_kms_public_key" {
    defaults = {
      public_key_pem = "-----BEGIN PUBLIC KEY-----\nMOCKED\n-----END PUBLIC KEY-----\n"
    }
  }

  mock_resource "aws_cloudfront_distribution" {
    defaults = {
      id          = "EDFDVBD6EXAMPLE"
      arn         = "arn:aws:cloudfront::123456789012:distribution/EDFDVBD6EXAMPLE"
      domain_name = "d111111abcdef8.cloudfront.net"
    }
  }

  mock_resource "aws_cloudfront_function" {
    defaults = {
      arn = "arn:aws:cloudfront::123456789012:function/cmr-dev-docs-passes"
    }
  }

  mock_resource "aws_cloudfront_public_key" {
    defaults = {
      id = "K2JCJMDEHXQW5F"
    }
  }

  mock_resource "aws_s3_bucket" {
    defaults = {
      arn = "arn:aws:s3:::mocked"
    }
  }

  mock_resource "aws_sns_topic" {
    defaults = {
      arn = "arn:aws:sns:eu-west-1:123456789012:cmr-dev-alerts"
    }
  }

  mock_resource "aws_cloudwatch_log_group" {
    defaults = {
      arn = "arn:aws:logs:eu-west-1:123456789012:log-group:mocked"
    }
  }

  mock_resource "aws_iam_role" {
    defaults = {
      arn = "arn:aws:iam::123456789012:role/mocked"
    }
  }
}

variables {
  environment = "dev"
  pipeline_stages = [
    [{ project = "customers", stage = "upstream" }],
    [{ project = "supply", stage = "upstream" }],
    [{ project = "sales", stage = "upstream" }],
    [
      { project = "customers", stage = "curated" },
      { project = "sales", stage = "curated" },
      { project = "supply", stage = "curated" },
    ],
  ]
}

run "baseline_invariants" {
  command = apply

  # ---- names (docs/naming.md), all derived from domain.yml
  assert {
    condition = output.bucket_names == {
      raw       = "ie-cmr-dev-raw-123456789012"
      refined   = "ie-cmr-dev-refined-123456789012"
      curated   = "ie-cmr-dev-curated-123456789012"
      artifacts = "ie-cmr-dev-artifacts-123456789012"
      logs      = "ie-cmr-dev-logs-123456789012"
    }
    error_message = "bucket names do not follow {country}-{abbr}-{env}-{layer}-{account_id}"
  }

  assert {
    condition     = toset(output.database_names) == toset(["cmr_raw", "cmr_staging", "cmr_refined", "cmr_curated", "cmr_audit"])
    error_message = "Glue databases must be {abbr}_{layer} for every layer plus dbt's {abbr}_staging and {abbr}_audit: every schema dbt-glue touches exists"
  }

  assert {
    condition     = output.kms_alias == "alias/cmr-dev"
    error_message = "KMS alias must be alias/{abbr}-{env}"
  }

  assert {
    condition     = module.naming.glue_connection_name == "cmr-dev-network" && module.alerting.rule_names == ["cmr-dev-glue-job-failed", "cmr-dev-pipeline-failed"]
    error_message = "domain-wide names must be {abbr}-{env}-{purpose}"
  }

  # ---- encryption: data buckets use the domain CMK with bucket keys; the log bucket SSE-S3
  assert {
    condition = alltrue([
      for k, m in module.buckets : m.encryption.sse_algorithm == "aws:kms" && m.encryption.kms_master_key_id == module.kms.key_arn && m.encryption.bucket_key_enabled
    ]) && module.logs_bucket.encryption.sse_algorithm == "AES256"
    error_message = "every data bucket must be SSE-KMS with the domain key and bucket keys"
  }

  # ---- versioning, public access, TLS-only policy, lifecycle, access logging
  assert {
    condition     = alltrue([for k, m in merge(module.buckets, { logs = module.logs_bucket }) : m.versioning_status == "Enabled"])
    error_message = "every bucket must be versioned"
  }

  assert {
    condition     = alltrue([for k, m in merge(module.buckets, { logs = module.logs_bucket }) : alltrue(values(m.public_access_block))])
    error_message = "every bucket must block all public access"
  }

  assert {
    condition = alltrue([for k, m in merge(module.buckets, { logs = module.logs_bucket }) :
      anytrue([for s in jsondecode(m.bucket_policy).Statement :
        s.Effect == "Deny" && s.Action == "s3:*" && try(s.Condition.Bool["aws:SecureTransport"], "") == "false"
    ])])
    error_message = "every bucket policy must deny non-TLS requests"
  }

  assert {
    condition = alltrue([for k, m in merge(module.buckets, { logs = module.logs_bucket }) :
      m.lifecycle.noncurrent_days > 0 && m.lifecycle.abort_incomplete_upload_days > 0
    ])
    error_message = "every bucket must expire non-current versions and abort incomplete uploads"
  }

  assert {
    condition     = alltrue([for k, m in module.buckets : m.access_log_bucket == "ie-cmr-dev-logs-123456789012"])
    error_message = "data buckets must log server access to the logs bucket"
  }

  # ---- key policy: root, domain roles by ARN pattern, CloudWatch Logs with encryption context
  assert {
    condition = anytrue([for s in jsondecode(module.kms.policy).Statement :
      try(s.Condition.ArnLike["aws:PrincipalArn"][0], "") == "arn:aws:iam::123456789012:role/cmr-dev-*"
    ])
    error_message = "key policy must grant domain roles by principal ARN pattern"
  }

  assert {
    condition = anytrue([for s in jsondecode(module.kms.policy).Statement :
      try(s.Principal.Service, "") == "logs.eu-west-1.amazonaws.com" && can(s.Condition.ArnLike["kms:EncryptionContext:aws:logs:arn"])
    ])
    error_message = "key policy must let CloudWatch Logs use the key under an encryption-context condition"
  }

  assert {
    condition     = [for s in jsondecode(module.kms.policy).Statement : s.Principal.Service if s.Sid == "ServicesUseKey"] == [["events.amazonaws.com", "cloudwatch.amazonaws.com"]]
    error_message = "key policy must let EventBridge's rules and the projects' CloudWatch alarms publish to the encrypted alert topic"
  }

  # ---- the domain's schedule: ingestion of every project at once, then the waves in order;
  # a failed wave alerts and fails, nothing after it runs
  assert {
    condition = (
      jsondecode(output.domain_pipeline_definition).StartAt == "CheckInput"
      && jsondecode(output.domain_pipeline_definition).States.CheckInput.Default == "Ingest"
      && jsondecode(output.domain_pipeline_definition).States.CheckInput.Choices[0].Next == "MissingBatchId"
      && jsondecode(output.domain_pipeline_definition).States.CheckInput.Choices[1].Next == "Wave1"
      && jsondecode(output.domain_pipeline_definition).States.CheckInput.Choices[1].And[1] == { Variable = "$.ingest", BooleanEquals = false }
      && [for b in jsondecode(output.domain_pipeline_definition).States.Ingest.Branches : b.StartAt] == ["customers ingest", "sales ingest", "supply ingest"]
      && jsondecode(output.domain_pipeline_definition).States.Ingest.Next == "Wave1"
    )
    error_message = "the domain pipeline must ingest every project of pipeline_stages at once (unless {ingest: false}), then start with the first wave"
  }

  assert {
    condition = (
      [for w in ["Wave1", "Wave2", "Wave3", "Wave4", "Publish"] : jsondecode(output.domain_pipeline_definition).States[w].Next] == ["Wave2", "Wave3", "Wave4", "Publish", "Succeeded"]
      && [for w in ["Wave1", "Wave2", "Wave3", "Wave4"] : [for b in jsondecode(output.domain_pipeline_definition).States[w].Branches : b.StartAt]] == [
        ["customers upstream"], ["supply upstream"], ["sales upstream"], ["customers curated", "sales curated", "supply curated"],
      ]
      && !contains(keys(jsondecode(output.domain_pipeline_definition).States), "Wave5")
      && [for b in jsondecode(output.domain_pipeline_definition).States.Publish.Branches : b.StartAt] == ["customers publish", "sales publish", "supply publish"]
    )
    error_message = "the waves must run in the order of pipeline_stages, each wave's stages in parallel, then every project's publish, only after the last wave"
  }

  assert {
    condition = alltrue([for w in ["Ingest", "Wave1", "Wave2", "Wave3", "Wave4", "Publish"] :
      jsondecode(output.domain_pipeline_definition).States[w].Type == "Parallel"
      && jsondecode(output.domain_pipeline_definition).States[w].Catch[0].ErrorEquals == ["States.ALL"]
      && jsondecode(output.domain_pipeline_definition).States[w].Catch[0].Next == "FormatFailure"
      ]) && (
      jsondecode(output.domain_pipeline_definition).States.FormatFailure.Next == "NotifyFailure"
      && jsondecode(output.domain_pipeline_definition).States.NotifyFailure.Parameters.TopicArn == "arn:aws:sns:eu-west-1:123456789012:cmr-dev-alerts"
      && jsondecode(output.domain_pipeline_definition).States.NotifyFailure.Next == "Failed"
      && jsondecode(output.domain_pipeline_definition).States.Failed.Type == "Fail"
    )
    error_message = "a failed wave must go to FormatFailure -> NotifyFailure (alert topic) -> Failed, so that no later wave runs"
  }

  assert {
    condition = alltrue(flatten([for w in ["Wave1", "Wave4", "Publish"] : [for b in jsondecode(output.domain_pipeline_definition).States[w].Branches : [
      b.States[b.StartAt].Resource == "arn:aws:states:::states:startExecution.sync:2"
      && b.States[b.StartAt].Parameters.StateMachineArn == "arn:aws:states:eu-west-1:123456789012:stateMachine:cmr-dev-${split(" ", b.StartAt)[0]}-pipeline"
      && b.States[b.StartAt].Parameters.Input["batch_id.$"] == "$.batch_id"
      && b.States[b.StartAt].Parameters.Input.stage == split(" ", b.StartAt)[1]
    ]]]))
    error_message = "each stage starts <abbr>-<env>-<project>-pipeline synchronously with {batch_id, stage}"
  }

  assert {
    condition = (
      [for s in jsondecode(output.policy_documents["cmr-dev-domain-pipeline/domain-pipeline-access"]).Statement : s.Resource if s.Sid == "StartProjectPipelines"] == [["arn:aws:states:eu-west-1:123456789012:stateMachine:cmr-dev-*-pipeline"]]
      && [for s in jsondecode(output.policy_documents["cmr-dev-domain-pipeline/domain-pipeline-access"]).Statement : s.Resource if s.Effect == "Deny"] == [["arn:aws:states:eu-west-1:123456789012:stateMachine:cmr-dev-domain-pipeline"]]
      && [for s in jsondecode(output.policy_documents["cmr-dev-domain-pipeline/domain-pipeline-access"]).Statement : s.Resource if s.Sid == "ManageSyncRuleForStepFunctions"] == [["arn:aws:events:eu-west-1:123456789012:rule/StepFunctionsGetEventsForStepFunctionsExecutionRule"]]
      && [for s in jsondecode(output.policy_documents["cmr-dev-domain-pipeline/domain-pipeline-access"]).Statement : s.Condition if s.Sid == "EncryptAlerts"] == [{ "ForAnyValue:StringEquals" = { "kms:ResourceAliases" = ["alias/cmr-dev"] } }]
    )
    error_message = "the domain pipeline's role may start only the project pipelines (never itself) and manage the .sync rule"
  }

  # ---- traceability tags on everything through default_tags (moto apply checks tags_all)
  assert {
    condition     = output.default_tags.git_sha == "local" && output.default_tags.deployed_by == "local" && output.default_tags.repository == "local" && output.default_tags.environment == "dev"
    error_message = "default_tags must carry git_sha, deployed_by and repository (default local)"
  }

  # ---- the docs site: CloudFront reads the artifacts bucket's docs/<env>/ (origin access
  # control, SigV4), and only there; every viewer request needs a pass of the key group
  assert {
    condition = (
      module.docs_site.origin.domain_name == module.buckets["artifacts"].bucket_regional_domain_name
      && module.docs_site.origin.path == "/docs/dev"
      && module.docs_site.origin.access_control == { type = "s3", signing_behavior = "always", signing_protocol = "sigv4" }
    )
    error_message = "the docs site's origin must be the artifacts bucket's docs/<env>/ prefix, signed by an origin access control (sigv4, always)"
  }

  assert {
    condition = (
      module.docs_site.viewer_access.trusted_key_groups == tolist([module.docs_site.key_group_id])
      && module.docs_site.viewer_access.viewer_protocol_policy == "redirect-to-https"
      && module.docs_site.viewer_access.function_events == ["viewer-request"]
      && strcontains(module.docs_site.function_code, "var MAX_SECONDS = 12 * 3600;")
    )
    error_message = "every viewer request must carry a pass of the site's key group (HTTPS), checked by the viewer-request function capping passes at docs_pass_max_hours (12)"
  }

  assert {
    condition = (
      [for st in jsondecode(module.buckets["artifacts"].bucket_policy).Statement : st if try(st.Principal.Service, "") == "cloudfront.amazonaws.com"] == [{
        Sid       = "AllowCloudFrontReadOfPrefix"
        Effect    = "Allow"
        Principal = { Service = "cloudfront.amazonaws.com" }
        Action    = "s3:GetObject"
        Resource  = "arn:aws:s3:::ie-cmr-dev-artifacts-123456789012/docs/dev/*"
        Condition = { StringEquals = { "aws:SourceArn" = module.docs_site.distribution_arn } }
      }]
      && alltrue([for k, m in merge(module.buckets, { logs = module.logs_bucket }) : k == "artifacts" || !strcontains(m.bucket_policy, "cloudfront")])
    )
    error_message = "the artifacts bucket policy must let only the docs distribution (aws:SourceArn) get objects, only under docs/<env>/; no other bucket lets CloudFront in"
  }

  assert {
    condition = [for st in jsondecode(module.kms.policy).Statement : [st.Action, st.Condition] if try(st.Principal.Service, "") == "cloudfront.amazonaws.com"] == [
      ["kms:Decrypt", { StringEquals = { "aws:SourceArn" = [module.docs_site.distribution_arn] } }]
    ]
    error_message = "the domain key must let CloudFront decrypt for the docs distribution only (aws:SourceArn)"
  }

  assert {
    condition     = [for st in jsondecode(module.docs_site.signing_key_policy).Statement : st.Sid] == ["RootAdministersKey"]
    error_message = "without docs_readers nobody may sign a pass"
  }
}

run "docs_readers_sign_passes" {
  command = plan

  variables {
    docs_readers        = ["210987654321", "arn:aws:iam::210987654321:role/analytics-reader"]
    docs_pass_max_hours = 4
  }

  assert {
    condition = [for st in jsondecode(module.docs_site.signing_key_policy).Statement : st if st.Sid == "SignersSign"] == [{
      Sid       = "SignersSign"
      Effect    = "Allow"
      Principal = { AWS = ["arn:aws:iam::210987654321:root", "arn:aws:iam::210987654321:role/analytics-reader"] }
      Action    = ["kms:Sign", "kms:DescribeKey"]
      Resource  = "*"
      Condition = { StringEquals = { "kms:SigningAlgorithm" = "RSASSA_PKCS1_V1_5_SHA_256" } }
    }]
    error_message = "docs_readers (an account id: its root; a role ARN: that role) may sign passes with the signing key, in CloudFront's algorithm only"
  }

  assert {
    condition     = strcontains(module.docs_site.function_code, "var MAX_SECONDS = 4 * 3600;")
    error_message = "the viewer-request function must cap passes at docs_pass_max_hours"
  }
}

run "a_docs_reader_pattern_is_refused" {
  command = plan

  variables {
    docs_readers = ["arn:aws:iam::210987654321:role/*"]
  }

  expect_failures = [var.docs_readers]
}

run "traceability_tags_from_variables" {
  command = plan

  variables {
    git_sha     = "abc1234"
    deployed_by = "ci"
    repository  = "example/commerce"
  }

  assert {
    condition     = output.default_tags.git_sha == "abc1234" && output.default_tags.deployed_by == "ci" && output.default_tags.repository == "example/commerce"
    error_message = "traceability tags must come from the variables"
  }
}

run "pipeline_stages_are_validated" {
  command = plan

  variables {
    # curated before its own upstream stage, and a stage that does not exist
    pipeline_stages = [
      [{ project = "sales", stage = "curated" }],
      [{ project = "sales", stage = "upstream" }, { project = "sales", stage = "docs" }],
    ]
  }

  expect_failures = [var.pipeline_stages]
}

run "a_project_named_domain_is_refused" {
  command = plan

  variables {
    pipeline_stages = [[{ project = "domain", stage = "upstream" }]]
  }

  expect_failures = [var.pipeline_stages]
}
