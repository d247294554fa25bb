# dbt-runner: the role of the CodeBuild project that runs the gate (python -m lakehouse.gate
# --project <project> --stage <stage>, trusted by CodeBuild): its build logs, the dbt bundle,
# its run artifacts, its metrics in the domain's namespace; what it needs to drive dbt-glue is
# the managed dbt-caller policy (main.tf attaches it). Developers' roles get the managed
# dbt-developer policy instead.
locals {
  dbt_runner_policy = {
    Version = "2012-10-17"
    Statement = concat([
      {
        Sid    = "WriteBuildLogs"
        Effect = "Allow"
        Action = ["logs:CreateLogStream", "logs:PutLogEvents"]
        Resource = [
          "arn:aws:logs:${local.region}:${local.account_id}:log-group:${var.codebuild_log_group_name}",
          "arn:aws:logs:${local.region}:${local.account_id}:log-group:${var.codebuild_log_group_name}:*",
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
        Resource = ["${local.artifacts_arn}/dbt-runs/${local.project}/*"]
      },
      {
        # what the project last published: a daily build builds only what changed since
        Sid      = "KeepGateState"
        Effect   = "Allow"
        Action   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
        Resource = ["${local.artifacts_arn}/dbt-state/${local.project}/*"]
      },
      {
        Sid      = "ListGateState"
        Effect   = "Allow"
        Action   = ["s3:ListBucket"]
        Resource = [local.artifacts_arn]
        Condition = {
          StringLike = { "s3:prefix" = ["dbt-state/${local.project}/*"] }
        }
      },
      {
        Sid      = "LocateArtifactsBucket"
        Effect   = "Allow"
        Action   = ["s3:GetBucketAcl", "s3:GetBucketLocation"]
        Resource = [local.artifacts_arn]
      },
      local.kms_statement,
      local.domain_metrics_statement,
      ], var.lineage_key_secret == null ? [] : [{
        # the OpenLineage API key, as the buildspec's secrets-manager env (Secrets Manager
        # appends six characters to a secret's name in its ARN)
        Sid      = "ReadLineageApiKey"
        Effect   = "Allow"
        Action   = ["secretsmanager:GetSecretValue"]
        Resource = ["arn:aws:secretsmanager:${local.region}:${local.account_id}:secret:${var.lineage_key_secret}-??????"]
    }])
  }

  # What a dbt-glue client needs (see docs/terraform.md), for the two ways the project is
  # built: the scheduled pipeline's runner (the managed dbt-caller policy, attached to the
  # dbt-runner role) and a developer (the managed dbt-developer policy, for developers' own
  # roles). Each may run only its own sessions and pass only its own session role:
  #   caller     sessions {abbr}-{env}-{project}-dbt[__*], passes dbt-session; the shared
  #              schemas exist (the baseline creates them): no CreateDatabase;
  #   developer  sessions dbt-*, passes dbt-dev-session; creates, drops and updates
  #              developers' schemas {abbr}_{layer}_* (dbt-glue's CreateDatabase + a Lake
  #              Formation grant for the session role).
  dbt_clients = {
    caller = {
      sessions     = [var.dbt_session_id, "${var.dbt_session_id}__*"]
      session_role = "dbt-session"
      catalog      = concat([local.catalog], local.db_arns, local.table_arns)
      unscoped     = ["glue:ListSessions", "sts:GetCallerIdentity"]
    }
    developer = {
      sessions     = [var.developer_session_id_pattern]
      session_role = "dbt-dev-session"
      catalog      = concat([local.catalog], local.db_arns, local.table_arns, local.developer_db_arns, local.developer_tbl_arns)
      unscoped     = ["glue:ListSessions", "lakeformation:BatchGrantPermissions", "sts:GetCallerIdentity"]
    }
  }

  manage_developer_schemas = {
    # DeleteDatabase also deletes the database's tables and functions.
    Sid    = "ManageDeveloperSchemas"
    Effect = "Allow"
    Action = ["glue:CreateDatabase", "glue:DeleteDatabase", "glue:UpdateTable"]
    Resource = concat(
      [local.catalog], local.developer_db_arns, local.developer_tbl_arns,
      [for l, d in local.developer_dbs : "arn:aws:glue:${local.region}:${local.account_id}:userDefinedFunction/${d}/*"],
    )
  }

  dbt_client_policies = {
    for client, c in local.dbt_clients : client => {
      Version = "2012-10-17"
      Statement = concat(
        [
          {
            Sid    = "RunOwnInteractiveSessions"
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
            Resource = [for id in c.sessions : "arn:aws:glue:${local.region}:${local.account_id}:session/${id}"]
          },
          {
            Sid       = "PassSessionRole"
            Effect    = "Allow"
            Action    = "iam:PassRole"
            Resource  = local.role_arn[c.session_role]
            Condition = { StringEquals = { "iam:PassedToService" = "glue.amazonaws.com" } }
          },
          {
            Sid      = "ReadCatalog"
            Effect   = "Allow"
            Action   = ["glue:GetDatabase", "glue:GetDatabases", "glue:GetTable", "glue:GetTables"]
            Resource = c.catalog
          },
          {
            # the catalog is encrypted with the domain key: writing it (a developer's schemas,
            # dbt's table updates) needs data keys too, not only Decrypt
            Sid      = "UseCatalogKey"
            Effect   = "Allow"
            Action   = ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey"]
            Resource = var.kms_key_arn
          },
          {
            # None of these actions supports resource-level permissions.
            Sid      = "ActionsWithoutResourceLevelPermissions"
            Effect   = "Allow"
            Action   = c.unscoped
            Resource = "*"
          },
        ],
        client == "developer" ? [local.manage_developer_schemas] : [],
      )
    }
  }
}
