data "aws_caller_identity" "current" {}

# The domain key is found by its alias (created by the baseline stack).
data "aws_kms_alias" "domain" {
  name = module.naming.kms_alias
}

locals {
  account_id = data.aws_caller_identity.current.account_id
  region     = module.naming.region

  # Discovery: ingestion scripts and dbt models of the project (both may be absent).
  jobs_dir    = "${var.source_root}/ingestion/jobs/${var.project}"
  job_scripts = sort([for f in fileset(local.jobs_dir, "*.py") : f if !startswith(f, "_")])
  job_ids     = [for f in local.job_scripts : trimsuffix(f, ".py")]

  optimized_layers = ["refined", "curated"]
  model_tables = flatten([
    for layer in local.optimized_layers : [
      for f in sort(fileset("${var.source_root}/models/${var.project}/${layer}", "*.sql")) : {
        layer = layer
        table = trimsuffix(f, ".sql")
      }
    ]
  ])
  # AWS refuses an optimizer for a table that does not exist yet (dbt creates them after the
  # first apply): with existing_tables given, only those get one (the deploy workflow applies
  # again after dbt).
  tables = var.table_optimizers_enabled ? {
    for t in local.model_tables : "${module.naming.database_names[t.layer]}.${t.table}" => {
      database = module.naming.database_names[t.layer]
      table    = t.table
      location = "s3://${module.naming.bucket_names[t.layer]}/${var.project}/${t.table}/"
    }
    if var.existing_tables == null || contains(coalesce(var.existing_tables, []), "${module.naming.database_names[t.layer]}.${t.table}")
  } : {}

  artifacts_bucket = module.naming.bucket_names["artifacts"]
  # What the deploy workflow's artifacts job publishes for a commit (docs/terraform.md): the job
  # library wheel (built by ingestion/build_wheel.py, named after its __version__) and the
  # zipped dbt project the pipeline's CodeBuild runs (lakehouse/release/dbt_bundle.py).
  # (a project without jobs needs no library, nor its source)
  job_library_version    = length(local.job_ids) == 0 ? "none" : regex("__version__ = \"([^\"]+)\"", file("${var.source_root}/ingestion/src/lakehouse_jobs/__init__.py"))[0]
  job_library_key        = coalesce(var.job_library_key, "glue/lib/${var.release}/lakehouse_jobs-${local.job_library_version}-py3-none-any.whl")
  lineage_client_key     = "glue/lib/${var.release}/lineage-client.zip"
  dbt_bundle_key         = "dbt/${var.release}/dbt-project.zip"
  codebuild_project_name = "${module.naming.project_prefix}-dbt"
  codebuild_log_group    = "/aws/codebuild/${module.naming.project_prefix}-dbt"
  alert_topic_arn        = "arn:aws:sns:${local.region}:${local.account_id}:${module.naming.alert_topic_name}"

  # OpenLineage (docs/lineage.md): the endpoint, and the API key's secret inside the project's
  # secret prefix (which its Glue jobs may read already)
  secret_prefix      = "${module.naming.abbreviation}/${var.environment}/${var.project}/"
  lineage_key_secret = var.lineage_api_key_secret ? "${local.secret_prefix}openlineage" : null
  lineage_arguments = merge(
    var.lineage_url == null ? {} : { "--OPENLINEAGE_URL" = var.lineage_url },
    local.lineage_key_secret == null ? {} : { "--OPENLINEAGE_API_KEY_SECRET" = local.lineage_key_secret },
  )

  # Each job's reject-ratio alarm threshold: its "<project>/<job>" entry, else the project's
  # "<project>" entry, else the default (one map for every project of an environment).
  reject_ratio_thresholds = {
    for id in local.job_ids : module.naming.glue_job_names[id] => lookup(
      var.reject_ratio_thresholds, "${var.project}/${id}",
      lookup(var.reject_ratio_thresholds, var.project, var.reject_ratio_threshold),
    )
  }
}

module "naming" {
  source = "../naming"

  domain_config_path = var.domain_config_path
  environment        = var.environment
  account_id         = local.account_id
  project            = var.project
  jobs               = local.job_ids
}

module "iam" {
  source = "../project-iam"

  project                      = var.project
  account_id                   = local.account_id
  region                       = local.region
  role_names                   = module.naming.role_names
  policy_names                 = module.naming.policy_names
  dbt_access                   = var.dbt_access
  dbt_session_id               = module.naming.dbt_session_id
  developer_session_id_pattern = module.naming.developer_session_id_pattern
  developer_folder             = module.naming.developer_storage_folder
  layer_buckets                = module.naming.layer_bucket_names
  artifacts_bucket             = local.artifacts_bucket
  databases                    = module.naming.database_names
  dbt_databases                = module.naming.dbt_database_names
  raw_table_prefix             = module.naming.raw_table_prefix
  kms_key_arn                  = data.aws_kms_alias.domain.target_key_arn
  glue_connection_name         = module.naming.glue_connection_name
  secret_prefix                = local.secret_prefix
  lineage_key_secret           = local.lineage_key_secret
  glue_job_names               = values(module.naming.glue_job_names)
  codebuild_project_name       = local.codebuild_project_name
  codebuild_log_group_name     = local.codebuild_log_group
  alert_topic_arn              = local.alert_topic_arn
  pipeline_name                = module.naming.pipeline_name
  metric_namespace             = module.naming.metric_namespace
}

module "jobs" {
  source = "../glue-jobs"

  jobs = {
    for id in local.job_ids : id => {
      name        = module.naming.glue_job_names[id]
      script_path = "${local.jobs_dir}/${id}.py"
    }
  }
  project                = var.project
  environment            = var.environment
  account_id             = local.account_id
  role_arn               = module.iam.role_arns["glue-job"]
  artifacts_bucket       = local.artifacts_bucket
  job_library_key        = local.job_library_key
  lineage_client_key     = local.lineage_client_key
  kms_key_arn            = data.aws_kms_alias.domain.target_key_arn
  security_configuration = module.naming.glue_security_configuration_name
  connections            = [module.naming.glue_connection_name]
  worker_type            = var.job_worker_type
  number_of_workers      = var.job_number_of_workers
  timeout_minutes        = var.job_timeout_minutes
  extra_arguments        = merge(local.lineage_arguments, var.job_extra_arguments)
}

module "optimizers" {
  source = "../table-optimizers"

  tables                     = local.tables
  account_id                 = local.account_id
  role_arn                   = module.iam.role_arns["table-optimizer"]
  snapshot_retention_days    = var.snapshot_retention_days
  snapshots_to_retain        = var.snapshots_to_retain
  orphan_file_retention_days = var.orphan_file_retention_days
}

module "pipeline" {
  source = "../pipeline"

  name                     = module.naming.pipeline_name
  project                  = var.project
  environment              = var.environment
  role_arn                 = module.iam.role_arns["pipeline"]
  glue_job_names           = [for id in local.job_ids : module.jobs.job_names[id]]
  codebuild_project_name   = local.codebuild_project_name
  codebuild_role_arn       = module.iam.role_arns["dbt-runner"]
  codebuild_log_group_name = local.codebuild_log_group
  dbt_session_role_arn     = module.iam.role_arns["dbt-session"]
  artifacts_bucket         = local.artifacts_bucket
  dbt_bundle_key           = local.dbt_bundle_key
  # the profile's location: where dbt-glue puts what has no location of its own (temporary
  # relations), inside the prefix the session role may write
  dbt_location           = "s3://${module.naming.bucket_names["refined"]}/${var.project}/"
  dbt_session_id         = module.naming.dbt_session_id
  metric_namespace       = module.naming.metric_namespace
  codebuild_compute_type = var.codebuild_compute_type
  dbt_timeout_minutes    = var.dbt_timeout_minutes
  kms_key_arn            = data.aws_kms_alias.domain.target_key_arn
  alert_topic_arn        = local.alert_topic_arn
  retry_max_attempts     = var.retry_max_attempts
  retry_interval_seconds = var.retry_interval_seconds
  retry_backoff_rate     = var.retry_backoff_rate
  log_retention_days     = var.log_retention_days
  lineage_url            = var.lineage_url
  lineage_key_secret     = local.lineage_key_secret
}

module "monitoring" {
  source = "../project-monitoring"

  name_prefix             = module.naming.project_prefix
  project                 = var.project
  metric_namespace        = module.naming.metric_namespace
  region                  = local.region
  alert_topic_arn         = local.alert_topic_arn
  reject_ratio_thresholds = local.reject_ratio_thresholds
  state_machine_arn       = module.pipeline.state_machine_arn
}
