variable "project" {
  description = "Project name; its objects live under {project}/ in every layer bucket."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9_]{1,29}$", var.project))
    error_message = "project must be 2-30 chars of lowercase letters, digits, underscores."
  }
}

variable "account_id" {
  description = "AWS account id of the environment."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}$", var.account_id))
    error_message = "account_id must be 12 digits."
  }
}

variable "region" {
  description = "AWS region of the environment."
  type        = string
}

variable "role_names" {
  description = "Role names by purpose from the naming module: glue-job, dbt-session, dbt-dev-session, dbt-runner, table-optimizer, pipeline."
  type        = map(string)

  validation {
    condition     = length(setsubtract(["glue-job", "dbt-session", "dbt-dev-session", "dbt-runner", "table-optimizer", "pipeline"], keys(var.role_names))) == 0
    error_message = "role_names needs glue-job, dbt-session, dbt-dev-session, dbt-runner, table-optimizer and pipeline."
  }
}

variable "policy_names" {
  description = "Managed policy names by purpose from the naming module: dbt-caller (attached to the dbt-runner role), dbt-developer (for developers' roles)."
  type        = map(string)

  validation {
    condition     = length(setsubtract(["dbt-caller", "dbt-developer"], keys(var.policy_names))) == 0
    error_message = "policy_names needs dbt-caller and dbt-developer."
  }
}

variable "dbt_access" {
  description = "What the project's dbt nodes build and read (lakehouse.release.project_access, from the dbt manifest; validated by the project root): builds = layer (staging, refined, curated, audit) => table names; reads = the other projects' relations {project, layer, table}."
  type = object({
    builds = map(list(string))
    reads = list(object({
      project = string
      layer   = string
      table   = string
    }))
  })
}

variable "dbt_session_id" {
  description = "Glue session id of the scheduled dbt build ({abbr}-{env}-{project}-dbt): the dbt-caller policy may run only it (and its __<suffix> sessions)."
  type        = string
}

variable "developer_session_id_pattern" {
  description = "Session ids developers' dbt-glue builds use (dbt-*): the dbt-developer policy may run only those."
  type        = string
}

variable "developer_folder" {
  description = "Folder under the project's prefixes that holds developers' tables (_developers): the dbt-dev-session role writes only there."
  type        = string
}

variable "layer_buckets" {
  description = "Map layer => bucket name (raw, refined, curated)."
  type        = map(string)

  validation {
    condition     = length(setsubtract(["raw", "refined", "curated"], keys(var.layer_buckets))) == 0
    error_message = "layer_buckets needs raw, refined and curated."
  }
}

variable "artifacts_bucket" {
  description = "Name of the artifacts bucket (job scripts, job library, dbt bundle, temp files)."
  type        = string
}

variable "databases" {
  description = "Map layer => Glue database name (raw, refined, curated)."
  type        = map(string)
}

variable "dbt_databases" {
  description = "Map layer => Glue database of every schema dbt builds: staging, refined, curated, audit (developers' copies are <database>_<developer>)."
  type        = map(string)

  validation {
    condition     = toset(keys(var.dbt_databases)) == toset(["staging", "refined", "curated", "audit"])
    error_message = "dbt_databases needs exactly staging, refined, curated and audit."
  }
}

variable "raw_table_prefix" {
  description = "Prefix of the project's raw tables ({project}__): ingestion jobs may only write these."
  type        = string
}

variable "kms_key_arn" {
  description = "ARN of the domain CMK."
  type        = string
}

variable "glue_connection_name" {
  description = "Glue NETWORK connection the ingestion jobs use."
  type        = string
}

variable "glue_job_names" {
  description = "Names of the project's Glue jobs (the pipeline may start only these)."
  type        = list(string)
  default     = []
}

variable "codebuild_project_name" {
  description = "Name of the CodeBuild project running dbt for this project."
  type        = string
}

variable "codebuild_log_group_name" {
  description = "CloudWatch log group of the dbt CodeBuild project."
  type        = string
}

variable "pipeline_name" {
  description = "Name of the project's Step Functions pipeline (its role is the pipeline role)."
  type        = string
}

variable "alert_topic_arn" {
  description = "ARN of the domain alert topic the pipeline publishes failures to."
  type        = string
}

variable "lineage_key_secret" {
  description = "Secrets Manager name of the OpenLineage API key ({secret_prefix}openlineage), readable by the dbt-runner (its Glue jobs read the whole prefix); null: none."
  type        = string
  default     = null
}

variable "secret_prefix" {
  description = "Name prefix of the project's source secrets in Secrets Manager ({abbr}/{env}/{project}/), readable by its Glue jobs."
  type        = string

  validation {
    condition     = endswith(var.secret_prefix, "/")
    error_message = "secret_prefix must end with / (a folder of secrets, not a name prefix)."
  }
}

variable "metric_namespace" {
  description = "CloudWatch namespace of the domain's own metrics ({abbr}/lakehouse): the glue-job role (ingestion jobs) and the dbt-runner role (the gate) may put metrics there and nowhere else (besides Glue's own namespace for the jobs)."
  type        = string
}
