# dbt-runner: the role of the CodeBuild project that runs `dbt build --select <project>`
# (trusted by CodeBuild): its build logs, the dbt bundle, its run artifacts; what it needs to
# drive dbt-glue is the managed dbt caller policy (main.tf attaches it), which developers'
# roles that run dbt for the project get too.
locals {
  dbt_runner_policy = {
    Version = "2012-10-17"
    Statement = [
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
        Sid      = "LocateArtifactsBucket"
        Effect   = "Allow"
        Action   = ["s3:GetBucketAcl", "s3:GetBucketLocation"]
        Resource = [local.artifacts_arn]
      },
      local.kms_statement,
    ]
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
        Resource = ["arn:aws:glue:${local.region}:${local.account_id}:session/*"]
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
          [for d in local.dbt_dbs : "arn:aws:glue:${local.region}:${local.account_id}:userDefinedFunction/${d}/*"],
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
}
