variable "domain_config_path" {
  description = "Path of the domain configuration file (domain.yml at the repository root). Every name is derived from it."
  type        = string

  validation {
    condition     = fileexists(var.domain_config_path)
    error_message = "domain_config_path must point to an existing domain.yml."
  }
}

variable "environment" {
  description = "Deployment environment; must be one of the environments listed in domain.yml."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9]{1,9}$", var.environment))
    error_message = "environment must be 2-10 lowercase letters/digits starting with a letter."
  }
}

variable "account_id" {
  description = "12-digit AWS account id of the environment (bucket names carry it because S3 names are global)."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}$", var.account_id))
    error_message = "account_id must be 12 digits."
  }
}

variable "project" {
  description = "Project (folder) name for project-scoped names; null for domain-wide stacks."
  type        = string
  default     = null

  validation {
    condition     = var.project == null || (can(regex("^[a-z][a-z0-9_]{1,29}$", coalesce(var.project, "x"))) && var.project != "domain")
    error_message = "project must be 2-30 chars: lowercase letters, digits, underscores, starting with a letter; not domain (its pipeline would be the domain's schedule, {abbr}-{env}-domain-pipeline)."
  }
}

variable "jobs" {
  description = "Ingestion job identifiers of the project (script file stems, e.g. ingest_orders); used to derive Glue job names."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for j in var.jobs : can(regex("^[a-z][a-z0-9_-]*$", j))])
    error_message = "job identifiers must be lowercase letters, digits, '_' or '-', starting with a letter."
  }
}

variable "projects" {
  description = "Projects whose pipeline names a domain-wide stack needs (the domain's schedule runs them); empty otherwise."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for p in var.projects : can(regex("^[a-z][a-z0-9_]{1,29}$", p)) && p != "domain"])
    error_message = "projects must be project names (2-30 chars: lowercase letters, digits, underscores), and none may be named domain (the domain's schedule is {abbr}-{env}-domain-pipeline)."
  }
}
