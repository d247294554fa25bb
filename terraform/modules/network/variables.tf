variable "name" {
  description = "Name prefix of the network resources ({abbr}-{env})."
  type        = string
}

variable "region" {
  description = "AWS region (interface endpoint service names)."
  type        = string
}

variable "cidr_block" {
  description = "CIDR block of the VPC; private subnets are carved out of it (/4 bits more each)."
  type        = string
  default     = "10.80.0.0/20"

  validation {
    condition     = can(cidrhost(var.cidr_block, 0))
    error_message = "cidr_block must be a valid IPv4 CIDR."
  }
}

variable "availability_zones" {
  description = "Availability zones of the private subnets (one subnet each)."
  type        = list(string)

  validation {
    condition     = length(var.availability_zones) >= 1 && length(var.availability_zones) <= 4
    error_message = "give 1 to 4 availability zones."
  }
}

variable "interface_endpoint_services" {
  description = "Services reached through interface endpoints (private DNS on)."
  type        = list(string)
  default     = ["glue", "sts", "logs", "monitoring", "secretsmanager"] # monitoring: job metrics; secretsmanager: JDBC credentials
}

variable "source_database_egress" {
  description = "Source databases the Glue jobs read over JDBC: one egress rule each (the route to them, e.g. peering or VPN, is the network team's)."
  type = list(object({
    description = string
    cidr_blocks = list(string)
    port        = number
  }))
  default = []
}

variable "kms_key_arn" {
  description = "CMK encrypting the flow-log log group."
  type        = string
}

variable "flow_log_retention_days" {
  description = "Retention of the VPC flow-log log group, in days."
  type        = number
  default     = 365

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.flow_log_retention_days)
    error_message = "flow_log_retention_days must be a CloudWatch Logs retention value."
  }
}

variable "glue_connection_name" {
  description = "Name of the Glue NETWORK connection that places jobs in the private subnets."
  type        = string
}
