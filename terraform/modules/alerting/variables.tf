variable "topic_name" {
  description = "Name of the SNS alert topic."
  type        = string
}

variable "rule_prefix" {
  description = "Prefix of the EventBridge rule names ({abbr}-{env}-)."
  type        = string
}

variable "resource_name_prefix" {
  description = "Prefix of the domain's resource names ({abbr}-{env}-): the Glue jobs and state machines whose failures the rules forward (other workloads of the account are ignored), and the CloudWatch alarms that may publish to the topic."
  type        = string
}

variable "kms_key_arn" {
  description = "CMK encrypting the topic (its key policy must let events.amazonaws.com use it)."
  type        = string
}

variable "account_id" {
  description = "Account id (topic policy conditions, state machine ARNs)."
  type        = string
}

variable "region" {
  description = "Region of the watched state machines."
  type        = string
}

variable "alert_emails" {
  description = "E-mail addresses subscribed to the alert topic (each must confirm)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for e in var.alert_emails : can(regex("^[^@ ]+@[^@ ]+$", e))])
    error_message = "alert_emails must be e-mail addresses."
  }
}
