# The stack of one project, the project given by var.project: one root for every project, one
# state each (backend key projects/<project>.tfstate), see README.md.
locals {
  repo_root   = abspath("${path.root}/../..")
  domain_file = coalesce(var.domain_config_path, "${local.repo_root}/domain.yml")
  source_root = coalesce(var.source_root, local.repo_root)
}

module "project" {
  source = "../modules/project"

  project            = var.project
  dbt_access         = var.dbt_access
  environment        = var.environment
  domain_config_path = local.domain_file
  source_root        = local.source_root
  release            = var.git_sha # the deploy workflow published this commit's artifacts

  job_library_key            = var.settings.job_library_key
  job_worker_type            = var.settings.job_worker_type
  job_number_of_workers      = var.settings.job_number_of_workers
  job_timeout_minutes        = var.settings.job_timeout_minutes
  job_extra_arguments        = var.settings.job_extra_arguments
  table_optimizers_enabled   = var.settings.table_optimizers_enabled
  existing_tables            = var.existing_tables
  snapshot_retention_days    = var.settings.snapshot_retention_days
  snapshots_to_retain        = var.settings.snapshots_to_retain
  orphan_file_retention_days = var.settings.orphan_file_retention_days
  retry_max_attempts         = var.settings.retry_max_attempts
  retry_interval_seconds     = var.settings.retry_interval_seconds
  retry_backoff_rate         = var.settings.retry_backoff_rate
  dbt_timeout_minutes        = var.settings.dbt_timeout_minutes
  codebuild_compute_type     = var.settings.codebuild_compute_type
  log_retention_days         = var.settings.log_retention_days
  lineage_url                = var.settings.lineage_url
  lineage_api_key_secret     = var.settings.lineage_api_key_secret
  reject_ratio_threshold     = var.settings.alarm_reject_ratio
  reject_ratio_thresholds    = var.settings.alarm_reject_ratios
}
