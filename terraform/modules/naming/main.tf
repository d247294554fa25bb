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
  # The schemas dbt builds: staging views, the dbt-built layers of domain.yml (all but the
  # first, raw, which the ingestion jobs write) and the stored test failures (audit).
  # A developer's dev build has its own copy of each: {abbr}_{layer}_{developer}.
  dbt_layers         = concat(["staging"], slice(local.layers, 1, length(local.layers)), ["audit"])
  dbt_database_names = { for l in local.dbt_layers : l => "${local.abbr}_${l}" }

  # Glue jobs: {abbr}-{env}-{project}-{job}, job = script stem with '_' written as '-'.
  glue_job_names = local.project == null ? {} : {
    for j in var.jobs : j => "${local.project_prefix}-${replace(j, "_", "-")}"
  }

  # IAM roles: {abbr}-{env}-{project}-{purpose}; managed policies the same way.
  role_purposes   = ["glue-job", "dbt-session", "dbt-dev-session", "dbt-runner", "table-optimizer", "pipeline"]
  role_names      = local.project == null ? {} : { for p in local.role_purposes : p => "${local.project_prefix}-${p}" }
  policy_purposes = ["dbt-caller", "dbt-developer"]
  policy_names    = local.project == null ? {} : { for p in local.policy_purposes : p => "${local.project_prefix}-${p}" }

  # Step Functions: a pipeline per project {abbr}-{env}-{project}-pipeline, and the domain's
  # schedule {abbr}-{env}-domain-pipeline that runs them (a project may not be named domain).
  domain_pipeline_name   = "${local.prefix}-domain-pipeline"
  project_pipeline_names = { for p in var.projects : p => "${local.prefix}-${p}-pipeline" }
}

check "environment_declared" {
  assert {
    condition     = contains(local.domain.environments, var.environment)
    error_message = "environment ${var.environment} is not listed in domain.yml environments."
  }
}
