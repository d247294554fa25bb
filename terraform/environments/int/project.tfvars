# Values shared by every project stack in int.
environment = "int"
settings = {
  job_number_of_workers   = 2
  retry_max_attempts      = 2
  snapshot_retention_days = 5
  log_retention_days      = 365
}
