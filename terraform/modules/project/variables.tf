variable "project" {
  description = "Project name (the project root passes its var.project)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9_]{1,29}$", var.project))
    error_message = "project must be 2-30 chars of lowercase letters, digits, underscores (the folder name of the project stack)."
  }
}

variable "dbt_access" {
  description = "What the project's dbt nodes build and read (the project root validates it; lakehouse.release.project_access generates it from the dbt manifest)."
  type = object({
    builds = map(list(string))
    reads = list(object({
      project = string
      layer   = string
      table   = string
    }))
  })
}

variable "environment" {
  description = "Environment (one of domain.yml environments)."
  type        = string
}

variable "domain_config_path" {
  description = "Path of domain.yml."
  type        = string
}

variable "source_root" {
  description = "Repository root where ingestion/jobs/<project>/*.py and models/<project>/{refined,curated}/*.sql are discovered."
  type        = string
}

variable "release" {
  description = "Release the jobs and the pipeline run: the commit whose job library and dbt bundle the deploy workflow published under glue/lib/<release>/ and dbt/<release>/."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9._-]+$", var.release))
    error_message = "release must be a commit id or tag (letters, digits, . _ -)."
  }
}

variable "job_library_key" {
  description = "Key of the job-library wheel in the artifacts bucket; null means the release's (glue/lib/<release>/lakehouse_jobs-<version>-py3-none-any.whl)."
  type        = string
  default     = null
}

variable "job_worker_type" {
  description = "Glue worker type of the ingestion jobs."
  type        = string
  default     = "G.1X"
}

variable "job_number_of_workers" {
  description = "Workers per ingestion job run."
  type        = number
  default     = 2
}

variable "job_timeout_minutes" {
  description = "Timeout of an ingestion job run."
  type        = number
  default     = 60
}

variable "job_extra_arguments" {
  description = "Extra --KEY value arguments for every ingestion job."
  type        = map(string)
  default     = {}
}

variable "lineage_url" {
  description = "OpenLineage endpoint (Marquez- or DataHub-compatible) the ingestion jobs and the gate send their events to (OPENLINEAGE_URL); null: the jobs' and builds' logs (docs/lineage.md)."
  type        = string
  default     = null

  validation {
    condition     = var.lineage_url == null || can(regex("^https?://", var.lineage_url))
    error_message = "lineage_url must be an http:// or https:// URL."
  }
}

variable "lineage_api_key_secret" {
  description = "Whether the endpoint wants an API key, read from the Secrets Manager secret {abbr}/{env}/{project}/openlineage (a plain string; created outside Terraform, never in the repository)."
  type        = bool
  default     = false
}

variable "table_optimizers_enabled" {
  description = "Create Iceberg optimizers for the project's refined/curated models. The tables must exist (first dbt build) before they can be created."
  type        = bool
  default     = true
}

variable "snapshot_retention_days" {
  description = "Iceberg snapshot retention (days)."
  type        = number
  default     = 7
}

variable "snapshots_to_retain" {
  description = "Iceberg snapshots always kept."
  type        = number
  default     = 5
}

variable "orphan_file_retention_days" {
  description = "Age after which unreferenced files are deleted (days)."
  type        = number
  default     = 3
}

variable "retry_max_attempts" {
  description = "Pipeline retries of a failed task."
  type        = number
  default     = 2
}

variable "retry_interval_seconds" {
  description = "Pipeline wait before the first retry (seconds)."
  type        = number
  default     = 60
}

variable "retry_backoff_rate" {
  description = "Pipeline retry backoff multiplier."
  type        = number
  default     = 2
}

variable "dbt_timeout_minutes" {
  description = "Timeout of the dbt build (minutes)."
  type        = number
  default     = 120
}

variable "codebuild_compute_type" {
  description = "CodeBuild compute type of the dbt runner."
  type        = string
  default     = "BUILD_GENERAL1_SMALL"
}

variable "log_retention_days" {
  description = "Retention of the project's log groups."
  type        = number
  default     = 365
}

variable "existing_tables" {
  description = "Tables of the catalog ({database}.{table}) that exist; optimizers are created only for those. null: every refined/curated model's (the tables are known to exist)."
  type        = list(string)
  default     = null
}

variable "reject_ratio_threshold" {
  description = "Default threshold of the jobs' reject-ratio alarms: the share of a run's rows read that were quarantined (a job fails only above its MAX_REJECT_RATIO, 0.05 by default; the alarm warns before). The project root validates it."
  type        = number
  default     = 0.01
}

variable "reject_ratio_thresholds" {
  description = "Thresholds of the reject-ratio alarms other than reject_ratio_threshold: key \"<project>\" for every job of a project, \"<project>/<job>\" (the script's stem, e.g. sales/ingest_erp_files) for one job; the most specific wins, other projects' keys are ignored. The project root validates it."
  type        = map(number)
  default     = {}
}
