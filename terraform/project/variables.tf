variable "project" {
  description = "Project to deploy: a folder of models/ (lakehouse/projects.py discovers them); terraform/scripts/tf-stack.sh passes it with the state key projects/<project>.tfstate."
  type        = string

  validation {
    # the rule of make new-project: 2-30 characters, no double underscore (raw tables are
    # <project>__<entity>)
    condition     = can(regex("^[a-z][a-z0-9]*(_[a-z0-9]+)*$", var.project)) && length(var.project) >= 2 && length(var.project) <= 30 && var.project != "domain"
    error_message = "project must be 2-30 lower-case letters, digits and single underscores, starting with a letter (a folder of models/), and not domain (the domain's schedule is {abbr}-{env}-domain-pipeline)."
  }
}

variable "dbt_access" {
  description = <<-EOT
    What the project's dbt nodes build and read, derived from the dbt manifest: the generated
    <dir>/<project>.tfvars.json of `python -m lakehouse.release.project_access` (tf-stack.sh
    passes it; never written by hand). builds: layer (staging, refined, curated, audit) => the
    table names the project's models, seeds, snapshots and stored test failures have: its
    roles may write those tables only. reads: the other projects' relations its models and
    tests ref ({project, layer, table}): its dbt session roles may read exactly their objects.
  EOT
  type = object({
    builds = map(list(string))
    reads = list(object({
      project = string
      layer   = string
      table   = string
    }))
  })

  validation {
    condition     = toset(keys(var.dbt_access.builds)) == toset(["staging", "refined", "curated", "audit"])
    error_message = "dbt_access.builds needs exactly the layers staging, refined, curated and audit (lakehouse.release.project_access writes them all)."
  }

  validation {
    # a table name becomes part of an IAM resource: no wildcard, no path
    condition = alltrue([
      for t in concat(flatten(values(var.dbt_access.builds)), [for r in var.dbt_access.reads : r.table]) :
      can(regex("^[a-z_][a-z0-9_]{0,254}$", t))
    ])
    error_message = "dbt_access table names must be Glue table names: lower-case letters, digits and underscores (a * or / would widen an IAM grant)."
  }

  validation {
    condition = alltrue([
      for r in var.dbt_access.reads : r.project != var.project && can(regex("^[a-z][a-z0-9]*(_[a-z0-9]+)*$", r.project))
    ])
    error_message = "dbt_access.reads names other projects only (a project's own relations are in builds)."
  }

  validation {
    condition     = alltrue([for r in var.dbt_access.reads : contains(["refined", "curated"], r.layer)])
    error_message = "dbt_access.reads may only name refined or curated relations: another project's staging views read its raw files, which no other project may read (ref its refined model instead)."
  }
}

variable "environment" {
  description = "Environment to deploy (one of domain.yml environments); set by environments/<env>/project.tfvars."
  type        = string
}

variable "domain_config_path" {
  description = "Path of domain.yml; null means the repository's own."
  type        = string
  default     = null
}

variable "source_root" {
  description = "Where ingestion/jobs/<project>/ and models/<project>/ are discovered; null means the repository root (tests point it at fixtures)."
  type        = string
  default     = null
}

variable "settings" {
  description = "Per-environment knobs of the project (environments/<env>/project.tfvars); every attribute is optional."
  type = object({
    job_library_key            = optional(string) # null: the release's wheel, glue/lib/<git_sha>/
    job_worker_type            = optional(string, "G.1X")
    job_number_of_workers      = optional(number, 2)
    job_timeout_minutes        = optional(number, 60)
    job_extra_arguments        = optional(map(string), {})
    table_optimizers_enabled   = optional(bool, true)
    snapshot_retention_days    = optional(number, 7)
    snapshots_to_retain        = optional(number, 5)
    orphan_file_retention_days = optional(number, 3)
    retry_max_attempts         = optional(number, 2)
    retry_interval_seconds     = optional(number, 60)
    retry_backoff_rate         = optional(number, 2)
    dbt_timeout_minutes        = optional(number, 120)
    codebuild_compute_type     = optional(string, "BUILD_GENERAL1_SMALL")
    log_retention_days         = optional(number, 365)
    # OpenLineage endpoint (Marquez, DataHub) the jobs and the gate send events to; null: the
    # jobs' and builds' logs. The API key, if any: Secrets Manager {abbr}/{env}/{project}/openlineage
    lineage_url            = optional(string)
    lineage_api_key_secret = optional(bool, false)
    # reject-ratio alarms: the default threshold, and per "<project>" or "<project>/<job>"
    alarm_reject_ratio  = optional(number, 0.01)
    alarm_reject_ratios = optional(map(number), {})
  })
  default = {}

  validation {
    condition = alltrue([
      for k, t in merge(var.settings.alarm_reject_ratios, { "default" = var.settings.alarm_reject_ratio }) :
      can(regex("^[a-z][a-z0-9_]*(/[a-z][a-z0-9_-]*)?$", k)) && t > 0 && t <= 1
    ])
    error_message = "settings.alarm_reject_ratio and the values of alarm_reject_ratios are shares of the rows read (more than 0, at most 1); alarm_reject_ratios' keys are <project> or <project>/<job script stem>, e.g. sales/ingest_erp_files."
  }
}

variable "existing_tables" {
  description = "Refined/curated tables that exist ({database}.{table}): optimizers only for those, as AWS refuses one for a missing table. null: every model's. The deploy workflow passes the catalog's list (.github/scripts/apply_project.sh)."
  type        = list(string)
  default     = null
}

variable "git_sha" {
  description = "Commit deployed (traceability tag, and the release whose job library and dbt bundle the jobs and pipeline run); CI sets TF_VAR_git_sha."
  type        = string
  default     = "local"
}

variable "deployed_by" {
  description = "Who or what deployed (traceability tag); CI sets TF_VAR_deployed_by."
  type        = string
  default     = "local"
}

variable "repository" {
  description = "Repository the code comes from (traceability tag); CI sets TF_VAR_repository."
  type        = string
  default     = "local"
}
