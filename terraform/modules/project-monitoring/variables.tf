variable "name_prefix" {
  description = "Prefix of the project's alarms and the name of its dashboard: {abbr}-{env}-{project}."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,200}$", var.name_prefix))
    error_message = "name_prefix must be lower-case letters, digits and '-' (an alarm and dashboard name)."
  }
}

variable "project" {
  description = "Project name: the value of the Project dimension of the jobs' and the gate's metrics."
  type        = string
}

variable "metric_namespace" {
  description = "CloudWatch namespace of the domain's own metrics ({abbr}/lakehouse, the naming module's metric_namespace): where the ingestion jobs and the gate put theirs."
  type        = string
}

variable "region" {
  description = "Region of the metrics (the dashboard's widgets name it)."
  type        = string
}

variable "alert_topic_arn" {
  description = "SNS topic every alarm notifies (the baseline's {abbr}-{env}-alerts)."
  type        = string
}

variable "reject_ratio_thresholds" {
  description = "Map Glue job name => the RejectRatio (rejected rows / rows read, over every table of a run) above which the job's alarm fires; one alarm per job, none for a project without jobs."
  type        = map(number)
  default     = {}

  validation {
    condition     = alltrue([for t in values(var.reject_ratio_thresholds) : t > 0 && t <= 1])
    error_message = "reject ratio thresholds are shares of the rows read: more than 0, at most 1."
  }
}

variable "state_machine_arn" {
  description = "ARN of the project's pipeline (Step Functions): its ExecutionsFailed raises the pipeline alarm."
  type        = string
}

variable "period_seconds" {
  description = "Period over which every alarm evaluates its metric (one period: a single bad run raises it)."
  type        = number
  default     = 300

  validation {
    condition     = var.period_seconds >= 60 && var.period_seconds % 60 == 0
    error_message = "period_seconds must be a multiple of 60 (CloudWatch's periods for standard metrics)."
  }
}
