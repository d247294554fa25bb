variable "tables" {
  description = "Map key => { database, table, location } of the Iceberg tables to optimize (location = s3:// prefix of the table)."
  type = map(object({
    database = string
    table    = string
    location = string
  }))
}

variable "account_id" {
  description = "Catalog id (account id) holding the tables."
  type        = string
}

variable "role_arn" {
  description = "Role the optimizers run as."
  type        = string
}

variable "enabled" {
  description = "Whether the optimizers run (they are created either way)."
  type        = bool
  default     = true
}

variable "snapshot_retention_days" {
  description = "Snapshots older than this are expired (time travel window)."
  type        = number
  default     = 7

  validation {
    condition     = var.snapshot_retention_days >= 1
    error_message = "snapshot_retention_days must be >= 1."
  }
}

variable "snapshots_to_retain" {
  description = "Minimum number of snapshots always kept."
  type        = number
  default     = 5

  validation {
    condition     = var.snapshots_to_retain >= 1
    error_message = "snapshots_to_retain must be >= 1."
  }
}

variable "orphan_file_retention_days" {
  description = "Files unreferenced for longer than this are deleted."
  type        = number
  default     = 3

  validation {
    condition     = var.orphan_file_retention_days >= 1
    error_message = "orphan_file_retention_days must be >= 1."
  }
}
