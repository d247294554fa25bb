# dbt-session: the role of the scheduled pipeline's dbt-glue interactive sessions (trusted by
# Glue), which do the data work of the gate in the environment's SHARED schemas. Reads
# raw/{project}; writes its refined|curated/{project} and audit prefixes and, in the catalog,
# exactly the tables the project builds (var.dbt_access.builds); reads exactly the other
# projects' relations its models and tests ref (var.dbt_access.reads).
locals {
  dbt_session_policy = {
    Version = "2012-10-17"
    Statement = concat(
      [
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
          Resource = ["${local.dbt_storage["refined"]}/*", "${local.dbt_storage["curated"]}/*"]
        },
        {
          Sid      = "ReadWriteProjectAudit"
          Effect   = "Allow"
          Action   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
          Resource = ["${local.dbt_storage["audit"]}/*"]
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
          Resource = concat([local.catalog], local.db_arns, local.table_arns)
        },
      ],
      local.dbt_session_writes_and_reads["shared"],
    )
  }
}
