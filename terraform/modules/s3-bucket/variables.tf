variable "name" {
  description = "Bucket name (from the naming module)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$", var.name))
    error_message = "bucket names are 3-63 chars of lowercase letters, digits and hyphens."
  }
}

variable "sse_algorithm" {
  description = "Default encryption: aws:kms (customer managed key, bucket keys on) or AES256 (only for server-access-log target buckets: S3 cannot deliver access logs to SSE-KMS buckets)."
  type        = string
  default     = "aws:kms"

  validation {
    condition     = contains(["aws:kms", "AES256"], var.sse_algorithm)
    error_message = "sse_algorithm must be aws:kms or AES256."
  }
}

variable "kms_key_arn" {
  description = "ARN of the customer managed key used when sse_algorithm is aws:kms."
  type        = string
  default     = null
}

variable "enable_access_logging" {
  description = "Send server access logs to access_log_bucket (false only for the log bucket itself)."
  type        = bool
  default     = true
}

variable "access_log_bucket" {
  description = "Name of the bucket receiving this bucket's server access logs (pass the log bucket module's bucket_id: it is known only once that bucket's policy allows log delivery)."
  type        = string
  default     = null
}

variable "access_log_prefix" {
  description = "Key prefix of the access logs in the log bucket; defaults to s3-access/<bucket name>/."
  type        = string
  default     = null
}

variable "noncurrent_version_expiration_days" {
  description = "Days after which non-current object versions are deleted."
  type        = number
  default     = 90

  validation {
    condition     = var.noncurrent_version_expiration_days >= 1
    error_message = "noncurrent_version_expiration_days must be >= 1."
  }
}

variable "abort_incomplete_multipart_upload_days" {
  description = "Days after which incomplete multipart uploads are aborted."
  type        = number
  default     = 7

  validation {
    condition     = var.abort_incomplete_multipart_upload_days >= 1
    error_message = "abort_incomplete_multipart_upload_days must be >= 1."
  }
}

variable "expiration_days" {
  description = "Days after which current objects expire (e.g. for log buckets); null keeps them."
  type        = number
  default     = null
}

variable "allow_access_log_delivery_from_account" {
  description = "Account id whose buckets may deliver server access logs into this bucket (log bucket only); null for data buckets."
  type        = string
  default     = null
}

variable "force_destroy" {
  description = "Allow destroy of a non-empty bucket. Keep false outside throw-away environments."
  type        = bool
  default     = false
}

variable "cloudfront_read" {
  description = "One CloudFront distribution (origin access control) that may read the objects under one key prefix: {distribution_arn, prefix ending with /}; null for none."
  type = object({
    distribution_arn = string
    prefix           = string
  })
  default = null

  validation {
    condition     = var.cloudfront_read == null || can(regex("^[a-z0-9][a-z0-9/_-]*/$", try(var.cloudfront_read.prefix, "")))
    error_message = "cloudfront_read.prefix is a key prefix ending with / (never the whole bucket)."
  }
}
