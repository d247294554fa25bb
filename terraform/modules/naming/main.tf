# Naming rules of docs/naming.md, implemented once for every stack.
locals {
  domain = yamldecode(file(var.domain_config_path))

  abbr    = local.domain.abbreviation
  country = local.domain.country_code
  env     = var.environment
  layers  = local.domain.layers
  project = var.project

  # Domain-wide resource prefix and the project-scoped prefix ({abbr}-{env}-{project}).
  prefix         = "${local.abbr}-${local.env}"
  project_prefix = local.project == null ? null : "${local.prefix}-${local.project}"

  # Buckets: {country}-{abbr}-{env}-{layer}-{account_id}, for the data layers and the two
  # technical buckets.
  bucket_purposes = concat(local.layers, ["artifacts", "logs"])
  bucket_names    = { for p in local.bucket_purposes : p => "${local.country}-${local.abbr}-${local.env}-${p}-${var.account_id}" }

  # Glue databases (= dbt schemas): {abbr}_{layer}; audit schema {abbr}_audit.
  database_names = { for l in local.layers : l => "${local.abbr}_${l}" }

  # Glue jobs: {abbr}-{env}-{project}-{job}, job = script stem with '_' written as '-'.
  glue_job_names = local.project == null ? {} : {
    for j in var.jobs : j => "${local.project_prefix}-${replace(j, "_", "-")}"
  }

  # IAM roles: {abbr}-{env}-{project}-{purpose}.
  role_purposes = ["glue-job", "dbt-session", "dbt-runner", "table-optimizer", "pipeline"]
  role_names    = local.project == null ? {} : { for p in local.role_purposes : p => "${local.project_prefix}-${p}" }
}

check "environment_declared" {
  assert {
    condition     = contains(local.domain.environments, var.environment)
    error_message = "environment ${var.environment} is not listed in domain.yml environments."
  }
}
