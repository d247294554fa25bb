variable "environment" {
  description = "Environment to deploy (one of domain.yml environments); set by environments/<env>/baseline.tfvars."
  type        = string
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
