variable "environment" {
  description = "Environment to deploy (one of domain.yml environments); set by environments/<env>/baseline.tfvars."
  type        = string
}

variable "pipeline_stages" {
  description = <<-EOT
    The domain's schedule, derived from the dbt manifest: the generated <dir>/domain.tfvars.json
    of `python -m lakehouse.release.project_access` (tf-stack.sh passes it; never written by
    hand). A list of waves; each wave a list of {project, stage} (stage upstream: seeds,
    staging, refined, snapshots and their tests; curated: the data products and the singular
    tests) that run at once, after every earlier wave passed.
  EOT
  type = list(list(object({
    project = string
    stage   = string
  })))

  validation {
    condition     = length(var.pipeline_stages) > 0 && alltrue([for wave in var.pipeline_stages : length(wave) > 0])
    error_message = "pipeline_stages needs at least one wave, and no wave may be empty."
  }

  validation {
    condition = alltrue(flatten([for wave in var.pipeline_stages : [
      for s in wave : contains(["upstream", "curated"], s.stage) && s.project != "domain" && can(regex("^[a-z][a-z0-9]*(_[a-z0-9]+)*$", s.project))
    ]]))
    error_message = "every stage is {project, stage} with a project name (not domain) and stage upstream or curated."
  }

  validation {
    condition = length(flatten(var.pipeline_stages)) == length(distinct(flatten([
      for wave in var.pipeline_stages : [for s in wave : "${s.project} ${s.stage}"]
    ])))
    error_message = "a project's stage appears once in pipeline_stages."
  }

  validation {
    # the gate builds a project's curated stage only on its upstream stage
    condition = alltrue(flatten([for i, wave in var.pipeline_stages : [
      for s in wave : s.stage != "curated" || anytrue([
        for j, earlier in var.pipeline_stages : j < i && contains([for e in earlier : "${e.project} ${e.stage}"], "${s.project} upstream")
      ])
    ]]))
    error_message = "a project's curated stage must come in a later wave than its upstream stage."
  }
}

variable "domain_config_path" {
  description = "Path of domain.yml; null means the repository's own (two folders up from this stack)."
  type        = string
  default     = null
}

variable "vpc_cidr" {
  description = "CIDR block of the domain VPC."
  type        = string
  default     = "10.80.0.0/20"
}

variable "availability_zones" {
  description = "Availability zones of the private subnets (one subnet each); null means zones a and b of the domain region."
  type        = list(string)
  default     = null

  validation {
    condition     = var.availability_zones == null || (length(coalesce(var.availability_zones, ["x"])) >= 1 && length(coalesce(var.availability_zones, ["x"])) <= 4)
    error_message = "give 1 to 4 availability zones."
  }
}

variable "source_database_egress" {
  description = "JDBC source databases the ingestion jobs reach from the VPC ({description, cidr_blocks, port}); see docs/terraform.md."
  type = list(object({
    description = string
    cidr_blocks = list(string)
    port        = number
  }))
  default = []
}

variable "alert_emails" {
  description = "E-mail addresses subscribed to the alert topic."
  type        = list(string)
  default     = []
}

variable "key_user_arn_patterns" {
  description = "Extra IAM role ARN patterns (e.g. developers' SSO roles running dbt) allowed to use the domain key; the domain's own roles {abbr}-{env}-* always are."
  type        = list(string)
  default     = []
}

variable "noncurrent_version_expiration_days" {
  description = "Days non-current object versions are kept in the buckets."
  type        = number
  default     = 90
}

variable "access_log_expiration_days" {
  description = "Days server access logs are kept in the logs bucket."
  type        = number
  default     = 365
}

variable "log_retention_days" {
  description = "Retention of CloudWatch log groups created by the baseline."
  type        = number
  default     = 365
}

variable "force_destroy_buckets" {
  description = "Allow destroying non-empty buckets (throw-away environments and tests only)."
  type        = bool
  default     = false
}

variable "git_sha" {
  description = "Commit deployed (traceability tag); CI sets TF_VAR_git_sha."
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

variable "docs_readers" {
  description = "Who may sign a pass to the docs site (docs/terraform.md, \"The docs site\"): AWS account ids of other domains (their administrators then grant kms:Sign to their roles) or IAM role ARNs. Empty: nobody."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for r in var.docs_readers : can(regex("^([0-9]{12}|arn:aws[a-z-]*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]+)$", r))])
    error_message = "each of docs_readers is a 12-digit account id or an IAM role ARN (no wildcards: a key policy names its principals)."
  }
}

variable "docs_pass_max_hours" {
  description = "Longest a pass to the docs site may last; longer ones are refused at the edge."
  type        = number
  default     = 12
}
