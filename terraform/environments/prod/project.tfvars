# Values shared by every project stack in prod.
environment = "prod"
settings = {
  job_number_of_workers   = 4
  retry_max_attempts      = 3
  snapshot_retention_days = 7
  log_retention_days      = 365
}
