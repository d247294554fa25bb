# glue-job: the role of the project's Glue ingestion jobs (trusted by Glue). Writes
# raw/{project}, reads and archives its landing files, reads its source secrets and its
# refined/curated data, its scripts and the job library; raw tables {project}__* only.
locals {
  glue_job_policy = {
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
          "${local.bucket_arn["raw"]}/landing/${local.project}/*",
          "${local.bucket_arn["raw"]}/archive/${local.project}/*",
        ]
      },
      {
        Sid      = "ListProjectLandingFiles"
        Effect   = "Allow"
        Action   = "s3:ListBucket"
        Resource = [local.bucket_arn["raw"]]
        Condition = { StringLike = { "s3:prefix" = [
          "landing/${local.project}/", "landing/${local.project}/*", "archive/${local.project}/", "archive/${local.project}/*",
        ] } }
      },
      {
        # a JDBC source's credentials: Secrets Manager secret {abbr}/{env}/{project}/<source>
        Sid      = "ReadProjectSourceSecrets"
        Effect   = "Allow"
        Action   = ["secretsmanager:GetSecretValue"]
        Resource = ["arn:aws:secretsmanager:${local.region}:${local.account_id}:secret:${var.secret_prefix}*"]
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
          "${local.artifacts_arn}/glue/${local.project}/*",
          "${local.artifacts_arn}/glue/lib/*",
        ]
      },
      {
        Sid      = "ReadWriteJobTemp"
        Effect   = "Allow"
        Action   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
        Resource = ["${local.artifacts_arn}/tmp/${local.project}/*"]
      },
      {
        Sid       = "ListJobArtifacts"
        Effect    = "Allow"
        Action    = "s3:ListBucket"
        Resource  = [local.artifacts_arn]
        Condition = { StringLike = { "s3:prefix" = ["glue/${local.project}/*", "glue/lib/*", "tmp/${local.project}/*"] } }
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
          "arn:aws:glue:${local.region}:${local.account_id}:database/${var.databases["raw"]}",
          "arn:aws:glue:${local.region}:${local.account_id}:table/${var.databases["raw"]}/${var.raw_table_prefix}*",
        ]
      },
      {
        Sid    = "UseNetworkConnection"
        Effect = "Allow"
        Action = ["glue:GetConnection"]
        Resource = [
          local.catalog,
          "arn:aws:glue:${local.region}:${local.account_id}:connection/${var.glue_connection_name}",
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
          "arn:aws:ec2:${local.region}:${local.account_id}:network-interface/*",
          "arn:aws:ec2:${local.region}:${local.account_id}:subnet/*",
          "arn:aws:ec2:${local.region}:${local.account_id}:security-group/*",
        ]
      },
      local.kms_statement,
      local.glue_logs_statement,
      local.glue_metrics_statement,
      local.domain_metrics_statement,
      local.default_database_statement,
    ]
  }
}
