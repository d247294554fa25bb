# table-optimizer: the role of the Glue Iceberg table optimizers (trusted by Glue): rewrite
# and delete the files of the project's refined/curated tables, update those tables.
locals {
  table_optimizer_policy = {
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "ListProjectPrefixes"
        Effect    = "Allow"
        Action    = "s3:ListBucket"
        Resource  = [local.bucket_arn["refined"], local.bucket_arn["curated"]]
        Condition = { StringLike = { "s3:prefix" = ["${local.project}/", "${local.project}/*"] } }
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
          [for d in local.optimizer_dbs : "arn:aws:glue:${local.region}:${local.account_id}:database/${d}"],
          [for d in local.optimizer_dbs : "arn:aws:glue:${local.region}:${local.account_id}:table/${d}/*"],
        )
      },
      {
        Sid    = "WriteOptimizerLogs"
        Effect = "Allow"
        Action = ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"]
        Resource = [
          "arn:aws:logs:${local.region}:${local.account_id}:log-group:/aws-glue/iceberg-*",
          "arn:aws:logs:${local.region}:${local.account_id}:log-group:/aws-glue/iceberg-*:*",
        ]
      },
      local.kms_statement,
      local.lf_data_access_statement,
    ]
  }
}
