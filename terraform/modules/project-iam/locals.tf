# What the roles of a project share: ARNs of the project's prefixes and of the domain
# catalog, action lists, statements used by several roles, the trust policies.
locals {
  account_id = var.account_id
  region     = var.region
  project    = var.project
  catalog    = "arn:aws:glue:${local.region}:${local.account_id}:catalog"

  bucket_arn = { for l, b in var.layer_buckets : l => "arn:aws:s3:::${b}" }
  # The project's prefix in a layer bucket: {layer bucket}/{project}/*
  prefix_arn    = { for l, b in var.layer_buckets : l => "arn:aws:s3:::${b}/${local.project}/*" }
  artifacts_arn = "arn:aws:s3:::${var.artifacts_bucket}"

  # The domain's schemas: raw (ingestion) and every schema dbt builds (staging views, refined,
  # curated, audit). Their metadata is readable by every project: dbt-glue lists whole schemas
  # (GetTables) to find its relations, and a ref() resolves through the catalog.
  dbt_layers = keys(var.dbt_databases)
  domain_dbs = distinct(concat([var.databases["raw"]], [for l in local.dbt_layers : var.dbt_databases[l]]))
  # Developers' copies of the dbt schemas ({abbr}_{layer}_{developer}), created by dbt-glue with
  # the developer's credentials (CreateDatabase + a Lake Formation grant).
  developer_dbs = { for l in local.dbt_layers : l => "${var.dbt_databases[l]}_*" }

  db_arns            = [for d in local.domain_dbs : "arn:aws:glue:${local.region}:${local.account_id}:database/${d}"]
  table_arns         = [for d in local.domain_dbs : "arn:aws:glue:${local.region}:${local.account_id}:table/${d}/*"]
  developer_db_arns  = [for l, d in local.developer_dbs : "arn:aws:glue:${local.region}:${local.account_id}:database/${d}"]
  developer_tbl_arns = [for l, d in local.developer_dbs : "arn:aws:glue:${local.region}:${local.account_id}:table/${d}/*"]
  optimizer_dbs      = [var.databases["refined"], var.databases["curated"]]

  # What the project builds, by layer (var.dbt_access, derived from the dbt manifest), and
  # the relations dbt-glue makes beside them: a snapshot's staging view <name>__dbt_tmp
  # (snapshots are refined; merges use temporary views, which never reach the catalog).
  built_tables = {
    for l in local.dbt_layers : l => concat(
      var.dbt_access.builds[l],
      l == "refined" ? [for t in var.dbt_access.builds[l] : "${t}__dbt_tmp"] : [],
    )
  }
  # The catalog writes of the project's dbt sessions: in the shared schemas (the scheduled
  # pipeline's dbt-session) or in developers' copies (dbt-dev-session), only the project's own
  # table names, with the catalog and the databases those need.
  dbt_write_arns = {
    for scope, dbs in { shared = var.dbt_databases, developer = local.developer_dbs } : scope => concat(
      [local.catalog],
      [for l in local.dbt_layers : "arn:aws:glue:${local.region}:${local.account_id}:database/${dbs[l]}" if length(local.built_tables[l]) > 0],
      flatten([for l in local.dbt_layers : [
        for t in local.built_tables[l] : "arn:aws:glue:${local.region}:${local.account_id}:table/${dbs[l]}/${t}"
      ]]),
    )
  }
  built_table_count = length(flatten(values(local.built_tables)))

  # What both dbt session roles end with: their catalog writes (in their scope), the generated
  # reads, and what every Glue session needs.
  dbt_session_writes_and_reads = { for scope, arns in local.dbt_write_arns : scope => concat(
    [for _ in range(local.built_table_count > 0 ? 1 : 0) : {
      Sid      = scope == "shared" ? "WriteProjectTables" : "WriteProjectTablesOfDevelopers"
      Effect   = "Allow"
      Action   = local.catalog_write_actions
      Resource = arns
    }],
    local.reads_statements,
    [
      local.kms_statement,
      local.glue_logs_statement,
      local.glue_metrics_statement,
      local.lf_data_access_statement,
      local.default_database_statement,
    ],
  ) }

  # Where dbt puts a project's tables (macros/naming/locations.sql): {layer bucket}/{project}/
  # for refined and curated, artifacts/audit/{project}/ for stored test failures (staging is
  # views: no storage); a developer's under _developers/{developer}/ of those.
  dbt_storage = {
    refined = "${local.bucket_arn["refined"]}/${local.project}"
    curated = "${local.bucket_arn["curated"]}/${local.project}"
    audit   = "${local.artifacts_arn}/audit/${local.project}"
  }
  developer_storage = { for l, root in local.dbt_storage : l => "${root}/${var.developer_folder}" }

  # The other projects' relations the project's models and tests read (var.dbt_access.reads):
  # s3:GetObject of exactly their objects {layer bucket}/{owner}/{table}/*, and the listing of
  # that table's prefix (Spark lists a Parquet table's folders). Nothing else of another project.
  read_layers = distinct([for r in var.dbt_access.reads : r.layer])
  reads_statements = concat(
    [for _ in range(length(var.dbt_access.reads) > 0 ? 1 : 0) : {
      Sid      = "ReadOtherProjectsRefs"
      Effect   = "Allow"
      Action   = ["s3:GetObject"]
      Resource = [for r in var.dbt_access.reads : "${local.bucket_arn[r.layer]}/${r.project}/${r.table}/*"]
    }],
    [for l in local.read_layers : {
      Sid      = "ListOtherProjectsRefs${title(l)}"
      Effect   = "Allow"
      Action   = "s3:ListBucket"
      Resource = [local.bucket_arn[l]]
      Condition = { StringLike = { "s3:prefix" = flatten([
        for r in var.dbt_access.reads : ["${r.project}/${r.table}/", "${r.project}/${r.table}/*"] if r.layer == l
      ]) } }
    }],
  )

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
  # the ingestion jobs' and the gate's own metrics (lakehouse_jobs.lifecycle, lakehouse.run_log)
  domain_metrics_statement = {
    Sid       = "PutDomainMetrics"
    Effect    = "Allow"
    Action    = "cloudwatch:PutMetricData"
    Resource  = "*"
    Condition = { StringEquals = { "cloudwatch:namespace" = var.metric_namespace } }
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
