# Values shared by every project stack in dev.
environment = "dev"
settings = {
  job_number_of_workers   = 2
  retry_max_attempts      = 1
  snapshot_retention_days = 3
  log_retention_days      = 365
}
