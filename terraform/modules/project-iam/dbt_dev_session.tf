# dbt-dev-session: the role of a developer's dbt-glue interactive sessions (`dbt build
# --target dev`, trusted by Glue). Writes only developers' copies of the schemas
# ({abbr}_{layer}_*), only the project's own table names, and only under
# {layer bucket}/{project}/_developers/ and artifacts/audit/{project}/_developers/; reads the
# project's raw prefix, those prefixes and the same generated reads as the scheduled build.
# It can write no shared schema and no shared prefix.
locals {
  developer_prefix       = "${local.project}/${var.developer_folder}" # in the refined and curated buckets
  developer_audit_prefix = "audit/${local.developer_prefix}"          # in the artifacts bucket

  dbt_dev_session_policy = {
    Version = "2012-10-17"
    Statement = concat(
      [
        {
          Sid       = "ListProjectRaw"
          Effect    = "Allow"
          Action    = "s3:ListBucket"
          Resource  = [local.bucket_arn["raw"]]
          Condition = { StringLike = { "s3:prefix" = ["${local.project}/", "${local.project}/*"] } }
        },
        {
          Sid       = "ListDeveloperPrefixes"
          Effect    = "Allow"
          Action    = "s3:ListBucket"
          Resource  = [local.bucket_arn["refined"], local.bucket_arn["curated"]]
          Condition = { StringLike = { "s3:prefix" = ["${local.developer_prefix}/", "${local.developer_prefix}/*"] } }
        },
        {
          Sid       = "ListDeveloperAudit"
          Effect    = "Allow"
          Action    = "s3:ListBucket"
          Resource  = [local.artifacts_arn]
          Condition = { StringLike = { "s3:prefix" = ["${local.developer_audit_prefix}/", "${local.developer_audit_prefix}/*"] } }
        },
        {
          Sid      = "ReadProjectRaw"
          Effect   = "Allow"
          Action   = ["s3:GetObject"]
          Resource = [local.prefix_arn["raw"]]
        },
        {
          Sid      = "ReadWriteDeveloperTables"
          Effect   = "Allow"
          Action   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"]
          Resource = [for l in ["refined", "curated", "audit"] : "${local.developer_storage[l]}/*"]
        },
        {
          Sid      = "ReadDomainAndDeveloperCatalog"
          Effect   = "Allow"
          Action   = local.catalog_read_actions
          Resource = concat([local.catalog], local.db_arns, local.table_arns, local.developer_db_arns, local.developer_tbl_arns)
        },
      ],
      local.dbt_session_writes_and_reads["developer"],
    )
  }
}
