variable "databases" {
  description = "Map of Glue database name => S3 location URI (s3://bucket/) of its tables."
  type        = map(string)

  validation {
    condition     = alltrue([for n, l in var.databases : can(regex("^[a-z][a-z0-9_]{0,254}$", n)) && startswith(l, "s3://")])
    error_message = "database names are lowercase [a-z0-9_], locations start with s3://."
  }
}

variable "kms_key_arn" {
  description = "Customer managed key encrypting catalog metadata, connection passwords, and Glue job output (S3, CloudWatch, bookmarks)."
  type        = string
}

variable "security_configuration_name" {
  description = "Name of the Glue security configuration used by jobs and sessions."
  type        = string
}

variable "encrypt_catalog" {
  description = "Encrypt the Data Catalog metadata and connection passwords with the CMK (account-wide setting: every catalog reader then needs kms:Decrypt)."
  type        = bool
  default     = true
}
