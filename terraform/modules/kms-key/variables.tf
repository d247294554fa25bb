variable "alias" {
  description = "Alias of the key, including the alias/ prefix (from the naming module)."
  type        = string

  validation {
    condition     = startswith(var.alias, "alias/") && !startswith(var.alias, "alias/aws/")
    error_message = "alias must start with alias/ and must not use the reserved alias/aws/ prefix."
  }
}

variable "description" {
  description = "Human-readable description of the key."
  type        = string
}

variable "account_id" {
  description = "Account id owning the key; its root principal administers the key."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}$", var.account_id))
    error_message = "account_id must be 12 digits."
  }
}

variable "region" {
  description = "Region of the key (used in the CloudWatch Logs service principal and encryption-context ARN)."
  type        = string
}

variable "user_role_arn_patterns" {
  description = "IAM role ARN patterns (aws:PrincipalArn, ArnLike) allowed to use the key for encryption and decryption, e.g. arn:aws:iam::123456789012:role/cmr-dev-*."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for p in var.user_role_arn_patterns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+", p))])
    error_message = "each pattern must be an IAM role ARN (wildcards allowed in the name only)."
  }
}

variable "allow_cloudwatch_logs" {
  description = "Let the CloudWatch Logs service use the key for log groups of this account and region (condition on the kms:EncryptionContext:aws:logs:arn)."
  type        = bool
  default     = false
}

variable "service_principals" {
  description = "AWS service principals (e.g. events.amazonaws.com publishing to an encrypted SNS topic) allowed GenerateDataKey*/Decrypt, restricted to this account with aws:SourceAccount."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for s in var.service_principals : endswith(s, ".amazonaws.com")])
    error_message = "service principals end with .amazonaws.com."
  }
}

variable "cloudfront_distribution_arns" {
  description = "CloudFront distributions (origin access control) that may decrypt what they read from buckets under this key: kms:Decrypt for cloudfront.amazonaws.com on aws:SourceArn."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for a in var.cloudfront_distribution_arns : can(regex("^arn:aws[a-z-]*:cloudfront::[0-9]{12}:distribution/[A-Z0-9]+$", a))])
    error_message = "each entry is a CloudFront distribution ARN."
  }
}

variable "signing_algorithm" {
  description = "Make this an asymmetric signing key (RSA_2048, SIGN_VERIFY, no automatic rotation) whose signers sign in this algorithm only, e.g. RSASSA_PKCS1_V1_5_SHA_256; null: a symmetric encryption key (rotation on)."
  type        = string
  default     = null

  validation {
    condition     = var.signing_algorithm == null || can(regex("^RSASSA_(PKCS1_V1_5|PSS)_SHA_(256|384|512)$", coalesce(var.signing_algorithm, "x")))
    error_message = "signing_algorithm is an RSA signing algorithm of KMS (RSASSA_PKCS1_V1_5_SHA_256, ...)."
  }
}

variable "signer_arns" {
  description = "Principals (an account's root ARN, role ARNs) that may kms:Sign with the signing key, in signing_algorithm only."
  type        = list(string)
  default     = []
}

variable "deletion_window_in_days" {
  description = "Waiting period before a scheduled key deletion completes."
  type        = number
  default     = 30

  validation {
    condition     = var.deletion_window_in_days >= 7 && var.deletion_window_in_days <= 30
    error_message = "deletion_window_in_days must be between 7 and 30."
  }
}
