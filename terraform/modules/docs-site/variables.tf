variable "name" {
  description = "Name of the site's resources: distribution comment, origin access control, key group, function, signing key alias (from the naming module: {abbr}-{env}-docs)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{0,50}$", var.name))
    error_message = "name is up to 51 lower-case letters, digits and hyphens."
  }
}

variable "bucket_name" {
  description = "Bucket holding the site (the artifacts bucket)."
  type        = string
}

variable "bucket_regional_domain_name" {
  description = "Regional domain name of that bucket (CloudFront's S3 origin)."
  type        = string
}

variable "prefix" {
  description = "Key prefix of the site in the bucket, where the deployment syncs it (docs/{env}/)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9/_-]*/$", var.prefix))
    error_message = "prefix is a key prefix ending with / (e.g. docs/dev/)."
  }
}

variable "account_id" {
  description = "Account owning the site; its root administers the signing key."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}$", var.account_id))
    error_message = "account_id must be 12 digits."
  }
}

variable "region" {
  description = "Region of the signing key."
  type        = string
}

variable "readers" {
  description = "Who may sign a pass to the site: AWS account ids (that account's administrators then grant kms:Sign to its roles) or IAM role ARNs of other domains (the baseline's docs_readers, validated there). Empty: nobody."
  type        = list(string)
  default     = []
}

variable "pass_max_hours" {
  description = "Longest a pass may last from the moment it is used; longer ones are refused at the edge."
  type        = number
  default     = 12

  validation {
    condition     = var.pass_max_hours >= 1 && var.pass_max_hours <= 168 && floor(var.pass_max_hours) == var.pass_max_hours
    error_message = "pass_max_hours is a whole number of hours from 1 to 168."
  }
}

variable "price_class" {
  description = "CloudFront price class (edge locations serving the site)."
  type        = string
  default     = "PriceClass_100"

  validation {
    condition     = contains(["PriceClass_100", "PriceClass_200", "PriceClass_All"], var.price_class)
    error_message = "price_class is PriceClass_100, PriceClass_200 or PriceClass_All."
  }
}
