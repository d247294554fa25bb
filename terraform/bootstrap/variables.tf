variable "environment" {
  description = "Environment whose state bucket to create (one of domain.yml environments)."
  type        = string
}

variable "domain_config_path" {
  description = "Path of domain.yml; null means the repository's own."
  type        = string
  default     = null
}

variable "noncurrent_version_expiration_days" {
  description = "Days old state versions are kept."
  type        = number
  default     = 365
}

variable "git_sha" {
  description = "Commit deployed (traceability tag)."
  type        = string
  default     = "local"
}

variable "deployed_by" {
  description = "Who deployed (traceability tag)."
  type        = string
  default     = "local"
}

variable "repository" {
  description = "Repository of the code (traceability tag)."
  type        = string
  default     = "local"
}
