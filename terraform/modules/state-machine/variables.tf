variable "name" {
  description = "Name of the state machine."
  type        = string
}

variable "role_arn" {
  description = "Execution role of the state machine."
  type        = string
}

variable "definition" {
  description = "Amazon States Language definition (JSON)."
  type        = string
}

variable "kms_key_arn" {
  description = "CMK encrypting the executions' log group."
  type        = string
}

variable "log_retention_days" {
  description = "Retention of the executions' log group."
  type        = number
  default     = 365
}
