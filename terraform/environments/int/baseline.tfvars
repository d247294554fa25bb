# Values of the baseline stack in int (names come from domain.yml, not from here).
environment                        = "int"
vpc_cidr                           = "10.80.16.0/20"
alert_emails                       = []
key_user_arn_patterns              = []
noncurrent_version_expiration_days = 60
access_log_expiration_days         = 180
log_retention_days                 = 365
# Other domains' accounts (or role ARNs) whose readers may sign a pass to the docs site.
docs_readers = []
