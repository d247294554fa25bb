variable "name" {
  description = "Name of the state machine ({abbr}-{env}-{project}-pipeline)."
  type        = string
}

variable "project" {
  description = "Project name: the gate's --project (python -m lakehouse.gate --project <project>)."
  type        = string
}

variable "environment" {
  description = "Environment: the dbt target."
  type        = string
}

variable "role_arn" {
  description = "Execution role of the state machine."
  type        = string
}

variable "glue_job_names" {
  description = "Ingestion jobs run (in parallel) before dbt; empty goes straight to dbt."
  type        = list(string)
  default     = []
}

variable "codebuild_project_name" {
  description = "Name of the CodeBuild project running dbt."
  type        = string
}

variable "codebuild_role_arn" {
  description = "Service role of the CodeBuild project (the dbt-glue caller)."
  type        = string
}

variable "codebuild_log_group_name" {
  description = "Log group of the CodeBuild project."
  type        = string
}

variable "dbt_session_role_arn" {
  description = "Role of the dbt-glue interactive sessions (exported to dbt as DBT_GLUE_ROLE_ARN)."
  type        = string
}

variable "artifacts_bucket" {
  description = "Bucket holding the dbt bundle (dbt/<release>/) and receiving run artifacts (dbt-runs/<project>/)."
  type        = string
}

variable "dbt_bundle_key" {
  description = "Key of the zipped dbt project in the artifacts bucket (CodeBuild source): dbt/<release>/dbt-project.zip, built by lakehouse/release/dbt_bundle.py."
  type        = string
}

variable "dbt_location" {
  description = "The dbt-glue profile's location and Iceberg warehouse (DBT_GLUE_LOCATION), e.g. s3://<refined bucket>/<project>/ (inside the session role's prefix); every model's own location comes from macros/naming."
  type        = string
}

variable "dbt_session_id" {
  description = "Glue interactive session id of the scheduled build (DBT_GLUE_SESSION_ID, {abbr}-{env}-{project}-dbt): the only sessions the dbt-caller policy may run."
  type        = string
}

variable "metric_namespace" {
  description = "CloudWatch namespace the gate puts its metrics in (METRIC_NAMESPACE of the buildspec; the naming module's metric_namespace); the dbt runner role may put metrics only there."
  type        = string
}

variable "lineage_url" {
  description = "OpenLineage endpoint the gate sends its dbt builds' events to (OPENLINEAGE_URL); null: the build log."
  type        = string
  default     = null
}

variable "lineage_key_secret" {
  description = "Secrets Manager name of the endpoint's API key (OPENLINEAGE_API_KEY in the build); null: none."
  type        = string
  default     = null
}

variable "codebuild_image" {
  description = "CodeBuild image running dbt."
  type        = string
  default     = "aws/codebuild/amazonlinux-x86_64-standard:5.0"
}

variable "codebuild_compute_type" {
  description = "CodeBuild compute type."
  type        = string
  default     = "BUILD_GENERAL1_SMALL"
}

variable "dbt_timeout_minutes" {
  description = "Build timeout of the dbt run, in minutes."
  type        = number
  default     = 120

  validation {
    condition     = var.dbt_timeout_minutes >= 5 && var.dbt_timeout_minutes <= 2160
    error_message = "dbt_timeout_minutes must be 5-2160."
  }
}

variable "kms_key_arn" {
  description = "CMK encrypting logs and the CodeBuild project."
  type        = string
}

variable "alert_topic_arn" {
  description = "SNS topic receiving failure alerts."
  type        = string
}

variable "retry_max_attempts" {
  description = "Retries of a failed task (Glue job or dbt build) before the pipeline fails."
  type        = number
  default     = 2

  validation {
    condition     = var.retry_max_attempts >= 0 && var.retry_max_attempts <= 10
    error_message = "retry_max_attempts must be 0-10."
  }
}

variable "retry_interval_seconds" {
  description = "Wait before the first retry."
  type        = number
  default     = 60
}

variable "retry_backoff_rate" {
  description = "Multiplier of the wait between retries."
  type        = number
  default     = 2
}

variable "log_retention_days" {
  description = "Retention of the pipeline and dbt log groups."
  type        = number
  default     = 365
}
