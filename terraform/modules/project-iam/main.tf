locals {
  acct    = var.account_id
  region  = var.region
  p       = var.project
  abbr    = var.abbreviation
  catalog = "arn:aws:glue:${local.region}:${local.acct}:catalog"

  bucket_arn = { for l, b in var.layer_buckets : l => "arn:aws:s3:::${b}" }
  # The project's prefix in a layer bucket: {layer bucket}/{project}/*
  prefix_arn    = { for l, b in var.layer_buckets : l => "arn:aws:s3:::${b}/${local.p}/*" }
  artifacts_arn = "arn:aws:s3:::${var.artifacts_bucket}"

  domain_dbs = concat([for l in ["raw", "refined", "curated"] : var.databases[l]], [var.audit_database])
  # dbt writes the refined, curated and audit schemas, and developers' own copies of them
  # ({abbr}_{layer}_{developer}) in dev.
  dbt_dbs = concat(
    [var.databases["refined"], var.databases["curated"], var.audit_database],
    ["${local.abbr}_refined_*", "${local.abbr}_curated_*", "${local.abbr}_audit_*"],
  )

  db_arns       = [for d in local.domain_dbs : "arn:aws:glue:${local.region}:${local.acct}:database/${d}"]
  table_arns    = [for d in local.domain_dbs : "arn:aws:glue:${local.region}:${local.acct}:table/${d}/*"]
  dbt_db_arns   = [for d in local.dbt_dbs : "arn:aws:glue:${local.region}:${local.acct}:database/${d}"]
  dbt_tbl_arns  = [for d in local.dbt_dbs : "arn:aws:glue:${local.region}:${local.acct}:table/${d}/*"]
  optimizer_dbs = [var.databases["refined"], var.databases["curated"]]

  role_arn = { for k, n in var.role_names : k => "arn:aws:iam::${local.acct}:role/${n}" }

  glue_log_groups = "arn:aws:logs:${local.region}:${local.acct}:log-group:/aws-glue/*"

  catalog_read_actions = [
    "glue:GetDatabase",
    "glue:GetDatabases",
    "glue:GetTable",
    "glue:GetTables",
    "glue:GetTableVersion",
    "glue:GetTableVersions",
    "glue:GetPartition",
    "glue:GetPartitions",
    "glue:BatchGetPartition",
  ]
  catalog_write_actions = [
    "glue:CreateTable",
    "glue:UpdateTable",
    "glue:DeleteTable",
    "glue:BatchCreatePartition",
    "glue:CreatePartition",
    "glue:UpdatePartition",
    "glue:DeletePartition",
    "glue:BatchDeletePartition",
  ]
  kms_use_actions = ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext"]

  # S3 listing restricted to the project's prefix.
  list_statement = {
    Sid       = "ListProjectPrefixes"
    Effect    = "Allow"
    Action    = "s3:ListBucket"
    Resource  = [for l in ["raw", "refined", "curated"] : local.bucket_arn[l]]
    Condition = { StringLike = { "s3:prefix" = ["${local.p}/", "${local.p}/*"] } }
  }
  kms_statement = {
    Sid      = "UseDomainKey"
    Effect   = "Allow"
    Action   = local.kms_use_actions
    Resource = var.kms_key_arn
  }
  glue_logs_statement = {
    Sid      = "WriteGlueLogs"
    Effect   = "Allow"
    Action   = ["logs:AssociateKmsKey", "logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"]
    Resource = [local.glue_log_groups, "${local.glue_log_groups}:*"]
  }
  glue_metrics_statement = {
    Sid       = "PublishGlueMetrics"
    Effect    = "Allow"
    Action    = "cloudwatch:PutMetricData"
    Resource  = "*"
    Condition = { StringEquals = { "cloudwatch:namespace" = "Glue" } }
  }
  # Spark on the Glue Data Catalog (Hive client) looks up the `default` database when the
  # session starts, and creates it in an account that has none; without this every job and
  # dbt session fails with "Unable to verify existence of default database".
  default_database_statement = {
    Sid      = "SparkDefaultDatabase"
    Effect   = "Allow"
    Action   = ["glue:GetDatabase", "glue:CreateDatabase"]
    Resource = [local.catalog, "arn:aws:glue:${local.region}:${local.acct}:database/default"]
  }
  lf_data_access_statement = {
    Sid      = "LakeFormationDataAccess"
    Effect   = "Allow"
    Action   = "lakeformation:GetDataAccess"
    Resource = "*"
  }

  trust = {
    for svc in ["glue", "codebuild", "states"] : svc => jsonencode({
      Version = "2012-10-17"
      Statement = [{
        Effect    = "Allow"
        Principal = { Service = "${svc}.amazonaws.com" }
        Action    = "sts:AssumeRole"
        Condition = { StringEquals = { "aws:SourceAccount" = local.acct } }
      }]
    })
  }

  policies = {
    # ---- Glue ingestion jobs: write raw/{project}, read the project's refined/curated data.
    glue-job = {
      Version = "2012-10-17"
      Statement = [
        local.list_statement,
        {
          Sid      = "ReadWriteProjectRaw"
          Effect   = "Allow"
          Action   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"]
          Resource = [local.prefix_arn["raw"]]
        },
        {
          # landing/<project>/<source>/<batch>/ (read, then moved) and archive/<project>/ (replay)
          Sid    = "ReadMoveProjectLandingFiles"
          Effect = "Allow"
          Action = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"]
          Resource = [
            "${local.bucket_arn["raw"]}/landing/${local.p}/*",
            "${local.bucket_arn["raw"]}/archive/${local.p}/*",
          ]
        },
        {
          Sid      = "ListProjectLandingFiles"
          Effect   = "Allow"
          Action   = "s3:ListBucket"
          Resource = [local.bucket_arn["raw"]]
          Condition = { StringLike = { "s3:prefix" = [
            "landing/${local.p}/", "landing/${local.p}/*", "archive/${local.p}/", "archive/${local.p}/*",
          ] } }
        },
        {
          # a JDBC source's credentials: Secrets Manager secret {abbr}/{env}/{project}/<source>
          Sid      = "ReadProjectSourceSecrets"
          Effect   = "Allow"
          Action   = ["secretsmanager:GetSecretValue"]
          Resource = ["arn:aws:secretsmanager:${local.region}:${local.acct}:secret:${var.secret_prefix}*"]
        },
        {
          Sid      = "ReadProjectRefinedCurated"
          Effect   = "Allow"
          Action   = ["s3:GetObject"]
          Resource = [local.prefix_arn["refined"], local.prefix_arn["curated"]]
        },
        {
          Sid    = "ReadJobCode"
          Effect = "Allow"
          Action = ["s3:GetObject"]
          Resource = [
            "${local.artifacts_arn}/glue/${local.p}/*",
            "${local.artifacts_arn}/glue/lib/*",
          ]
        },
        {
          Sid      = "ReadWriteJobTemp"
          Effect   = "Allow"
          Action   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
          Resource = ["${local.artifacts_arn}/tmp/${local.p}/*"]
        },
        {
          Sid       = "ListJobArtifacts"
          Effect    = "Allow"
          Action    = "s3:ListBucket"
          Resource  = [local.artifacts_arn]
          Condition = { StringLike = { "s3:prefix" = ["glue/${local.p}/*", "glue/lib/*", "tmp/${local.p}/*"] } }
        },
        {
          Sid      = "ReadDomainCatalog"
          Effect   = "Allow"
          Action   = local.catalog_read_actions
          Resource = concat([local.catalog], local.db_arns, local.table_arns)
        },
        {
          Sid    = "WriteProjectRawTables"
          Effect = "Allow"
          Action = local.catalog_write_actions
          Resource = [
            local.catalog,
            "arn:aws:glue:${local.region}:${local.acct}:database/${var.databases["raw"]}",
            "arn:aws:glue:${local.region}:${local.acct}:table/${var.databases["raw"]}/${var.raw_table_prefix}*",
          ]
        },
        {
          Sid    = "UseNetworkConnection"
          Effect = "Allow"
          Action = ["glue:GetConnection"]
          Resource = [
            local.catalog,
            "arn:aws:glue:${local.region}:${local.acct}:connection/${var.glue_connection_name}",
          ]
        },
        {
          Sid    = "DescribeNetwork"
          Effect = "Allow"
          Action = [
            "ec2:DescribeNetworkInterfaces",
            "ec2:DescribeRouteTables",
            "ec2:DescribeSecurityGroups",
            "ec2:DescribeSubnets",
            "ec2:DescribeVpcAttribute",
            "ec2:DescribeVpcEndpoints",
          ]
          Resource = "*"
        },
        {
          Sid    = "ManageWorkerNetworkInterfaces"
          Effect = "Allow"
          Action = ["ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface", "ec2:CreateTags", "ec2:DeleteTags"]
          Resource = [
            "arn:aws:ec2:${local.region}:${local.acct}:network-interface/*",
            "arn:aws:ec2:${local.region}:${local.acct}:subnet/*",
            "arn:aws:ec2:${local.region}:${local.acct}:security-group/*",
          ]
        },
        local.kms_statement,
        local.glue_logs_statement,
        local.glue_metrics_statement,
        local.default_database_statement,
      ]
    }

    # ---- dbt-glue interactive sessions: read raw/{project}, write refined|curated/{project}.
    dbt-session = {
      Version = "2012-10-17"
      Statement = [
        local.list_statement,
        {
          Sid      = "ReadProjectRaw"
          Effect   = "Allow"
          Action   = ["s3:GetObject"]
          Resource = [local.prefix_arn["raw"]]
        },
        {
          Sid      = "ReadWriteProjectRefinedCurated"
          Effect   = "Allow"
          Action   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"]
          Resource = [local.prefix_arn["refined"], local.prefix_arn["curated"]]
        },
        {
          Sid      = "ReadWriteProjectAudit"
          Effect   = "Allow"
          Action   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
          Resource = ["${local.artifacts_arn}/audit/${local.p}/*"]
        },
        {
          Sid       = "ListProjectAudit"
          Effect    = "Allow"
          Action    = "s3:ListBucket"
          Resource  = [local.artifacts_arn]
          Condition = { StringLike = { "s3:prefix" = ["audit/${local.p}/", "audit/${local.p}/*"] } }
        },
        {
          Sid      = "ReadDomainCatalog"
          Effect   = "Allow"
          Action   = local.catalog_read_actions
          Resource = concat([local.catalog], local.db_arns, local.table_arns, local.dbt_db_arns, local.dbt_tbl_arns)
        },
        {
          Sid      = "WriteDbtTables"
          Effect   = "Allow"
          Action   = local.catalog_write_actions
          Resource = concat([local.catalog], local.dbt_db_arns, local.dbt_tbl_arns)
        },
        local.kms_statement,
        local.glue_logs_statement,
        local.glue_metrics_statement,
        local.lf_data_access_statement,
        local.default_database_statement,
      ]
    }

    # ---- CodeBuild running `dbt build --select <project>` (plus the managed dbt caller policy).
    dbt-runner = {
      Version = "2012-10-17"
      Statement = [
        {
          Sid    = "WriteBuildLogs"
          Effect = "Allow"
          Action = ["logs:CreateLogStream", "logs:PutLogEvents"]
          Resource = [
            "arn:aws:logs:${local.region}:${local.acct}:log-group:${var.codebuild_log_group_name}",
            "arn:aws:logs:${local.region}:${local.acct}:log-group:${var.codebuild_log_group_name}:*",
          ]
        },
        {
          Sid      = "ReadDbtBundle"
          Effect   = "Allow"
          Action   = ["s3:GetObject", "s3:GetObjectVersion"]
          Resource = ["${local.artifacts_arn}/dbt/*"]
        },
        {
          Sid      = "WriteDbtRunArtifacts"
          Effect   = "Allow"
          Action   = ["s3:PutObject"]
          Resource = ["${local.artifacts_arn}/dbt-runs/${local.p}/*"]
        },
        {
          Sid      = "LocateArtifactsBucket"
          Effect   = "Allow"
          Action   = ["s3:GetBucketAcl", "s3:GetBucketLocation"]
          Resource = [local.artifacts_arn]
        },
        local.kms_statement,
      ]
    }

    # ---- Glue Iceberg table optimizers: rewrite and delete files of the project's tables.
    table-optimizer = {
      Version = "2012-10-17"
      Statement = [
        {
          Sid       = "ListProjectPrefixes"
          Effect    = "Allow"
          Action    = "s3:ListBucket"
          Resource  = [local.bucket_arn["refined"], local.bucket_arn["curated"]]
          Condition = { StringLike = { "s3:prefix" = ["${local.p}/", "${local.p}/*"] } }
        },
        {
          Sid      = "RewriteProjectTableFiles"
          Effect   = "Allow"
          Action   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
          Resource = [local.prefix_arn["refined"], local.prefix_arn["curated"]]
        },
        {
          Sid    = "UpdateOptimizedTables"
          Effect = "Allow"
          Action = ["glue:GetDatabase", "glue:GetTable", "glue:GetTables", "glue:UpdateTable"]
          Resource = concat(
            [local.catalog],
            [for d in local.optimizer_dbs : "arn:aws:glue:${local.region}:${local.acct}:database/${d}"],
            [for d in local.optimizer_dbs : "arn:aws:glue:${local.region}:${local.acct}:table/${d}/*"],
          )
        },
        {
          Sid    = "WriteOptimizerLogs"
          Effect = "Allow"
          Action = ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"]
          Resource = [
            "arn:aws:logs:${local.region}:${local.acct}:log-group:/aws-glue/iceberg-*",
            "arn:aws:logs:${local.region}:${local.acct}:log-group:/aws-glue/iceberg-*:*",
          ]
        },
        local.kms_statement,
        local.lf_data_access_statement,
      ]
    }

    # ---- Step Functions pipeline: start this project's jobs and dbt build, publish alerts.
    pipeline = {
      Version = "2012-10-17"
      Statement = concat(
        length(var.glue_job_names) == 0 ? [] : [{
          Sid      = "RunProjectGlueJobs"
          Effect   = "Allow"
          Action   = ["glue:StartJobRun", "glue:GetJobRun", "glue:GetJobRuns", "glue:BatchStopJobRun"]
          Resource = [for j in var.glue_job_names : "arn:aws:glue:${local.region}:${local.acct}:job/${j}"]
        }],
        [
          {
            Sid      = "RunDbtBuild"
            Effect   = "Allow"
            Action   = ["codebuild:StartBuild", "codebuild:StopBuild", "codebuild:BatchGetBuilds"]
            Resource = ["arn:aws:codebuild:${local.region}:${local.acct}:project/${var.codebuild_project_name}"]
          },
          {
            Sid      = "ManageSyncRuleForCodeBuild"
            Effect   = "Allow"
            Action   = ["events:PutTargets", "events:PutRule", "events:DescribeRule"]
            Resource = ["arn:aws:events:${local.region}:${local.acct}:rule/StepFunctionsGetEventsForCodeBuildStartBuildRule"]
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

  # What a dbt-glue caller needs (see docs/terraform.md): sessions, PassRole of the session
  # role, catalog access, identity lookup and Lake Formation grants on new schemas.
  dbt_caller_policy = {
    Version = "2012-10-17"
    Statement = [
      {
        Sid    = "RunInteractiveSessions"
        Effect = "Allow"
        Action = [
          "glue:CancelStatement",
          "glue:CreateSession",
          "glue:DeleteSession",
          "glue:GetSession",
          "glue:GetStatement",
          "glue:ListStatements",
          "glue:RunStatement",
          "glue:StopSession",
          "glue:TagResource",
        ]
        Resource = ["arn:aws:glue:${local.region}:${local.acct}:session/*"]
      },
      {
        Sid       = "PassSessionRole"
        Effect    = "Allow"
        Action    = "iam:PassRole"
        Resource  = local.role_arn["dbt-session"]
        Condition = { StringEquals = { "iam:PassedToService" = "glue.amazonaws.com" } }
      },
      {
        Sid      = "ReadCatalog"
        Effect   = "Allow"
        Action   = ["glue:GetDatabase", "glue:GetDatabases", "glue:GetTable", "glue:GetTables"]
        Resource = concat([local.catalog], local.db_arns, local.table_arns, local.dbt_db_arns, local.dbt_tbl_arns)
      },
      {
        # DeleteDatabase also deletes the database's tables and functions.
        Sid    = "ManageDbtSchemas"
        Effect = "Allow"
        Action = ["glue:CreateDatabase", "glue:DeleteDatabase", "glue:UpdateTable"]
        Resource = concat(
          [local.catalog], local.dbt_db_arns, local.dbt_tbl_arns,
          [for d in local.dbt_dbs : "arn:aws:glue:${local.region}:${local.acct}:userDefinedFunction/${d}/*"],
        )
      },
      {
        # the catalog is encrypted with the domain key: writing it (a developer's schemas, dbt's
        # table updates) needs data keys too, not only Decrypt
        Sid      = "UseCatalogKey"
        Effect   = "Allow"
        Action   = ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey"]
        Resource = var.kms_key_arn
      },
      {
        # None of these actions supports resource-level permissions.
        Sid      = "IdentityListingAndLakeFormationGrants"
        Effect   = "Allow"
        Action   = ["glue:ListSessions", "lakeformation:BatchGrantPermissions", "sts:GetCallerIdentity"]
        Resource = "*"
      },
    ]
  }

  trust_service = {
    glue-job        = "glue"
    dbt-session     = "glue"
    dbt-runner      = "codebuild"
    table-optimizer = "glue"
    pipeline        = "states"
  }
}

resource "aws_iam_role" "this" {
  for_each = local.trust_service

  name                 = var.role_names[each.key]
  description          = "${each.key} role of project ${local.p}"
  assume_role_policy   = local.trust[each.value]
  max_session_duration = 3600
}

resource "aws_iam_role_policy" "this" {
  for_each = local.policies

  name   = "${each.key}-access"
  role   = aws_iam_role.this[each.key].id
  policy = jsonencode(each.value)
}

resource "aws_iam_policy" "dbt_caller" {
  name        = var.dbt_caller_policy_name
  description = "What a dbt-glue caller needs for project ${local.p}: attach to the dbt runner and to developers' roles"
  policy      = jsonencode(local.dbt_caller_policy)
}

resource "aws_iam_role_policy_attachment" "dbt_caller" {
  role       = aws_iam_role.this["dbt-runner"].name
  policy_arn = aws_iam_policy.dbt_caller.arn
}
