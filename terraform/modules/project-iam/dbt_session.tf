# dbt-session: the role of dbt-glue's interactive sessions (trusted by Glue), which do the
# data work of `dbt build`. Reads raw/{project}, writes refined|curated/{project} and its
# audit prefix; manages the tables of the dbt databases.
locals {
  dbt_session_policy = {
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
        Resource = ["${local.artifacts_arn}/audit/${local.project}/*"]
      },
      {
        Sid       = "ListProjectAudit"
        Effect    = "Allow"
        Action    = "s3:ListBucket"
        Resource  = [local.artifacts_arn]
        Condition = { StringLike = { "s3:prefix" = ["audit/${local.project}/", "audit/${local.project}/*"] } }
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
}
