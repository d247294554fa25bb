locals {
  script_key = { for k, j in var.jobs : k => "glue/${var.project}/${basename(j.script_path)}" }

  default_arguments = merge(
    {
      "--job-language"     = "python"
      "--datalake-formats" = "iceberg"
      "--extra-py-files" = join(",", [
        for key in compact([var.job_library_key, var.lineage_client_key]) : "s3://${var.artifacts_bucket}/${key}"
      ])
      "--TempDir"                          = "s3://${var.artifacts_bucket}/tmp/${var.project}/"
      "--enable-glue-datacatalog"          = "true"
      "--enable-metrics"                   = "true"
      "--enable-observability-metrics"     = "true"
      "--enable-continuous-cloudwatch-log" = "true"
      "--job-bookmark-option"              = "job-bookmark-disable"
      "--ENV"                              = var.environment
      "--PROJECT"                          = var.project
      # bucket names carry the account: given here, the job never has to ask STS for it
      "--ACCOUNT_ID" = var.account_id
    },
    var.extra_arguments,
  )
}

resource "aws_s3_object" "this" {
  for_each = var.jobs

  bucket      = var.artifacts_bucket
  key         = local.script_key[each.key]
  source      = each.value.script_path
  source_hash = filemd5(each.value.script_path)
  kms_key_id  = var.kms_key_arn
}

resource "aws_glue_job" "this" {
  for_each = var.jobs

  name                   = each.value.name
  description            = "Ingestion job ${each.key} of project ${var.project}"
  role_arn               = var.role_arn
  glue_version           = var.glue_version
  execution_class        = "STANDARD"
  worker_type            = var.worker_type
  number_of_workers      = var.number_of_workers
  timeout                = var.timeout_minutes
  max_retries            = 0 # the pipeline retries with backoff
  security_configuration = var.security_configuration
  connections            = var.connections

  command {
    name            = "glueetl"
    python_version  = "3"
    script_location = "s3://${var.artifacts_bucket}/${aws_s3_object.this[each.key].key}"
  }

  default_arguments = local.default_arguments

  execution_property {
    max_concurrent_runs = 1
  }
}
