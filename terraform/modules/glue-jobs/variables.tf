variable "jobs" {
  description = "Map job identifier => { name = Glue job name, script_path = local path of the .py script }."
  type = map(object({
    name        = string
    script_path = string
  }))
}

variable "project" {
  description = "Project name (script prefix glue/{project}/ in the artifacts bucket, --PROJECT argument)."
  type        = string
}

variable "environment" {
  description = "Environment passed to every job as --ENV."
  type        = string
}

variable "role_arn" {
  description = "Execution role of the jobs."
  type        = string
}

variable "artifacts_bucket" {
  description = "Bucket holding scripts (glue/{project}/), the job library (glue/lib/<release>/) and temp files (tmp/{project}/)."
  type        = string
}

variable "lineage_client_key" {
  description = "Key of lineage-client.zip in the artifacts bucket (openlineage-python for Glue, built beside the wheel by ingestion/build_wheel.py), also on --extra-py-files; null: none."
  type        = string
  default     = null
}

variable "job_library_key" {
  description = "Key of the job-library wheel in the artifacts bucket, passed with --extra-py-files."
  type        = string

  validation {
    condition     = endswith(var.job_library_key, ".whl")
    error_message = "job_library_key must point to a .whl file."
  }
}

variable "kms_key_arn" {
  description = "CMK encrypting the uploaded scripts."
  type        = string
}

variable "security_configuration" {
  description = "Glue security configuration of the jobs (KMS for S3 output, logs, bookmarks)."
  type        = string
}

variable "connections" {
  description = "Glue connections the jobs attach to (the domain NETWORK connection)."
  type        = list(string)
  default     = []
}

variable "glue_version" {
  description = "Glue version."
  type        = string
  default     = "5.0"
}

variable "worker_type" {
  description = "Glue worker type."
  type        = string
  default     = "G.1X"

  validation {
    condition     = contains(["G.025X", "G.1X", "G.2X", "G.4X", "G.8X"], var.worker_type)
    error_message = "worker_type must be one of G.025X, G.1X, G.2X, G.4X, G.8X."
  }
}

variable "number_of_workers" {
  description = "Number of workers per job run."
  type        = number
  default     = 2

  validation {
    condition     = var.number_of_workers >= 2
    error_message = "Glue Spark jobs need at least 2 workers."
  }
}

variable "timeout_minutes" {
  description = "Job run timeout in minutes."
  type        = number
  default     = 60
}

variable "extra_arguments" {
  description = "Extra --KEY value default arguments (the job library bridges them to its config)."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for k in keys(var.extra_arguments) : startswith(k, "--")])
    error_message = "argument keys start with --."
  }
}

variable "account_id" {
  description = "AWS account of the buckets (--ACCOUNT_ID: the job library names buckets with it)."
  type        = string
}
