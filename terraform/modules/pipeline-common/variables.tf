variable "name" {
  description = "Name of the state machine (the alert's subject)."
  type        = string
}

variable "alert_topic_arn" {
  description = "SNS topic receiving the failure alert."
  type        = string
}

variable "kms_key_arn" {
  description = "Key of the alert topic (the role publishing needs it); null when kms_key_alias names it."
  type        = string
  default     = null
}

variable "kms_key_alias" {
  description = "The alert topic's key by its alias (alias/<name>), for a stack that creates the key: its ARN is unknown until applied, and a policy known at plan time is what glue-local's principals read."
  type        = string
  default     = null

  validation {
    condition     = var.kms_key_alias == null || startswith(coalesce(var.kms_key_alias, "alias/"), "alias/")
    error_message = "kms_key_alias is alias/<name>."
  }
}

variable "cause" {
  description = "Cause of the final Fail state."
  type        = string
  default     = "A step failed after its retries; see the alert message and the execution history."
}
