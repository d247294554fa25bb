# What the roles of a project share: ARNs of the project's prefixes and of the domain
# catalog, action lists, statements used by several roles, the trust policies.
locals {
  account_id   = var.account_id
  region       = var.region
  project      = var.project
  abbreviation = var.abbreviation
  catalog      = "arn:aws:glue:${local.region}:${local.account_id}:catalog"

  bucket_arn = { for l, b in var.layer_buckets : l => "arn:aws:s3:::${b}" }
  # The project's prefix in a layer bucket: {layer bucket}/{project}/*
  prefix_arn    = { for l, b in var.layer_buckets : l => "arn:aws:s3:::${b}/${local.project}/*" }
  artifacts_arn = "arn:aws:s3:::${var.artifacts_bucket}"

  domain_dbs = concat([for l in ["raw", "refined", "curated"] : var.databases[l]], [var.audit_database])
  # dbt writes the refined, curated and audit schemas, and developers' own copies of them
  # ({abbr}_{layer}_{developer}) in dev.
  dbt_dbs = concat(
    [var.databases["refined"], var.databases["curated"], var.audit_database],
    ["${local.abbreviation}_refined_*", "${local.abbreviation}_curated_*", "${local.abbreviation}_audit_*"],
  )

  db_arns       = [for d in local.domain_dbs : "arn:aws:glue:${local.region}:${local.account_id}:database/${d}"]
  table_arns    = [for d in local.domain_dbs : "arn:aws:glue:${local.region}:${local.account_id}:table/${d}/*"]
  dbt_db_arns   = [for d in local.dbt_dbs : "arn:aws:glue:${local.region}:${local.account_id}:database/${d}"]
  dbt_tbl_arns  = [for d in local.dbt_dbs : "arn:aws:glue:${local.region}:${local.account_id}:table/${d}/*"]
  optimizer_dbs = [var.databases["refined"], var.databases["curated"]]

  role_arn = { for k, n in var.role_names : k => "arn:aws:iam::${local.account_id}:role/${n}" }

  glue_log_groups = "arn:aws:logs:${local.region}:${local.account_id}:log-group:/aws-glue/*"

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
    Condition = { StringLike = { "s3:prefix" = ["${local.project}/", "${local.project}/*"] } }
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
    Resource = [local.catalog, "arn:aws:glue:${local.region}:${local.account_id}:database/default"]
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
        Condition = { StringEquals = { "aws:SourceAccount" = local.account_id } }
      }]
    })
  }
}
