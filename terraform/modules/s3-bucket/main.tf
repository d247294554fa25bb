locals {
  bucket_arn  = "arn:aws:s3:::${var.name}"
  log_prefix  = coalesce(var.access_log_prefix, "s3-access/${var.name}/")
  receive_log = var.allow_access_log_delivery_from_account != null

  policy_statements = concat(
    [{
      Sid       = "DenyInsecureTransport"
      Effect    = "Deny"
      Principal = { AWS = "*" }
      Action    = "s3:*"
      Resource  = [local.bucket_arn, "${local.bucket_arn}/*"]
      Condition = { Bool = { "aws:SecureTransport" = "false" } }
    }],
    local.receive_log ? [{
      Sid       = "AllowServerAccessLogDelivery"
      Effect    = "Allow"
      Principal = { Service = "logging.s3.amazonaws.com" }
      Action    = "s3:PutObject"
      Resource  = "${local.bucket_arn}/*"
      Condition = {
        StringEquals = { "aws:SourceAccount" = var.allow_access_log_delivery_from_account }
      }
    }] : [],
    var.cloudfront_read == null ? [] : [{
      Sid       = "AllowCloudFrontReadOfPrefix"
      Effect    = "Allow"
      Principal = { Service = "cloudfront.amazonaws.com" }
      Action    = "s3:GetObject"
      Resource  = "${local.bucket_arn}/${var.cloudfront_read.prefix}*"
      Condition = {
        StringEquals = { "aws:SourceArn" = var.cloudfront_read.distribution_arn }
      }
    }],
  )
}

resource "aws_s3_bucket" "this" {
  #checkov:skip=CKV2_AWS_62:No consumer of object events: ingestion and dbt runs are orchestrated by the Step Functions pipelines, not by S3 notifications.
  #checkov:skip=CKV_AWS_144:Single-region domain; versioning plus non-current version retention cover recovery. Cross-region replication is a DR decision left out on purpose (docs/terraform.md).
  #checkov:skip=CKV_AWS_145:Every bucket defaults to SSE-KMS (sse_algorithm = aws:kms); only the server-access-log target uses SSE-S3 because S3 access logging cannot deliver to SSE-KMS buckets.
  bucket        = var.name
  force_destroy = var.force_destroy
}

resource "aws_s3_bucket_ownership_controls" "this" {
  bucket = aws_s3_bucket.this.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_public_access_block" "this" {
  bucket                  = aws_s3_bucket.this.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_versioning" "this" {
  bucket = aws_s3_bucket.this.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  bucket = aws_s3_bucket.this.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = var.sse_algorithm
      kms_master_key_id = var.sse_algorithm == "aws:kms" ? var.kms_key_arn : null
    }
    bucket_key_enabled = var.sse_algorithm == "aws:kms"
  }

  lifecycle {
    precondition {
      condition     = var.sse_algorithm != "aws:kms" || var.kms_key_arn != null
      error_message = "kms_key_arn is required when sse_algorithm is aws:kms."
    }
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "this" {
  bucket = aws_s3_bucket.this.id

  rule {
    id     = "noncurrent-versions-and-incomplete-uploads"
    status = "Enabled"

    filter {}

    noncurrent_version_expiration {
      noncurrent_days = var.noncurrent_version_expiration_days
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = var.abort_incomplete_multipart_upload_days
    }

    dynamic "expiration" {
      for_each = var.expiration_days == null ? [] : [var.expiration_days]
      content {
        days = expiration.value
      }
    }
  }

  depends_on = [aws_s3_bucket_versioning.this]
}

resource "aws_s3_bucket_policy" "this" {
  bucket = aws_s3_bucket.this.id
  policy = jsonencode({ Version = "2012-10-17", Statement = local.policy_statements })

  depends_on = [aws_s3_bucket_public_access_block.this]
}

resource "aws_s3_bucket_logging" "this" {
  count = var.enable_access_logging ? 1 : 0

  bucket        = aws_s3_bucket.this.id
  target_bucket = var.access_log_bucket
  target_prefix = local.log_prefix

  lifecycle {
    precondition {
      condition     = var.access_log_bucket != null
      error_message = "access_log_bucket is required when enable_access_logging is true."
    }
  }
}
