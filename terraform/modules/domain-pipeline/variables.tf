variable "name" {
  description = "Name of the state machine: {abbr}-{env}-domain-pipeline."
  type        = string
}

variable "role_name" {
  description = "Name of its IAM role."
  type        = string
}

variable "pipeline_stages" {
  description = "The domain's waves (lakehouse.release.project_access, validated by the baseline root): a list of waves, each a list of {project, stage}, stage upstream or curated."
  type = list(list(object({
    project = string
    stage   = string
  })))
}

variable "project_pipeline_names" {
  description = "Map project => its pipeline's state machine name ({abbr}-{env}-{project}-pipeline), for every project of pipeline_stages."
  type        = map(string)
}

variable "project_pipeline_name_pattern" {
  description = "Name pattern of the project pipelines ({abbr}-{env}-*-pipeline): the only state machines the role may start."
  type        = string
}

variable "account_id" {
  description = "AWS account id of the environment."
  type        = string
}

variable "region" {
  description = "AWS region of the environment."
  type        = string
}

variable "alert_topic_arn" {
  description = "SNS topic receiving the failure alert."
  type        = string
}

variable "kms_key_arn" {
  description = "Domain CMK: encrypts the executions' log group."
  type        = string
}

variable "kms_key_alias" {
  description = "Alias of the domain CMK (alias/{abbr}-{env}): the role's use of the alert topic's key names it by alias, so that the policy is known when the baseline is planned (the key's ARN is not, before the first apply)."
  type        = string
}

variable "log_retention_days" {
  description = "Retention of the executions' log group."
  type        = number
  default     = 365
}
