# table-optimizer: the role of the Glue Iceberg table optimizers (trusted by Glue): rewrite
# and delete the files of the project's refined/curated tables, update those tables (only the
# project's own, var.dbt_access.builds).
locals {
  table_optimizer_policy = {
    Version = "2012-10-17"
    Statement = concat([
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
        Sid    = "ReadOptimizedDatabases"
        Effect = "Allow"
        Action = ["glue:GetDatabase", "glue:GetTable", "glue:GetTables"]
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
      ], length(local.optimized_table_arns) == 0 ? [] : [{
        # only the project's own refined and curated tables (var.dbt_access.builds)
        Sid    = "UpdateOptimizedTables"
        Effect = "Allow"
        Action = ["glue:UpdateTable"]
        Resource = concat(
          [local.catalog],
          [for d in local.optimizer_dbs : "arn:aws:glue:${local.region}:${local.account_id}:database/${d}"],
          local.optimized_table_arns,
        )
    }])
  }
  optimized_table_arns = flatten([for l in ["refined", "curated"] : [
    for t in var.dbt_access.builds[l] : "arn:aws:glue:${local.region}:${local.account_id}:table/${var.dbt_databases[l]}/${t}"
  ]])
}
