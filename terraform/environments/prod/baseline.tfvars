# Values of the baseline stack in prod (names come from domain.yml, not from here).
environment                        = "prod"
vpc_cidr                           = "10.80.32.0/20"
alert_emails                       = []
key_user_arn_patterns              = []
noncurrent_version_expiration_days = 90
access_log_expiration_days         = 365
log_retention_days                 = 365
# Other domains' accounts (or role ARNs) whose readers may sign a pass to the docs site.
docs_readers = []
