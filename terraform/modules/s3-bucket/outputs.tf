output "bucket_id" {
  description = "Name (id) of the bucket, known once its policy is in place (so a bucket logging into it waits for the log-delivery permission)."
  value       = aws_s3_bucket.this.bucket

  depends_on = [aws_s3_bucket_policy.this]
}

output "bucket_arn" {
  description = "ARN of the bucket."
  value       = aws_s3_bucket.this.arn
}

output "bucket_regional_domain_name" {
  description = "Regional domain name of the bucket (a CloudFront S3 origin)."
  value       = aws_s3_bucket.this.bucket_regional_domain_name
}

output "bucket_policy" {
  description = "The bucket policy document (JSON)."
  value       = aws_s3_bucket_policy.this.policy
}

output "encryption" {
  description = "Default encryption actually configured: sse_algorithm, kms_master_key_id, bucket_key_enabled."
  value = {
    sse_algorithm      = one(aws_s3_bucket_server_side_encryption_configuration.this.rule[*].apply_server_side_encryption_by_default[0].sse_algorithm)
    kms_master_key_id  = one(aws_s3_bucket_server_side_encryption_configuration.this.rule[*].apply_server_side_encryption_by_default[0].kms_master_key_id)
    bucket_key_enabled = one(aws_s3_bucket_server_side_encryption_configuration.this.rule[*].bucket_key_enabled)
  }
}

output "versioning_status" {
  description = "Versioning status of the bucket (Enabled)."
  value       = aws_s3_bucket_versioning.this.versioning_configuration[0].status
}

output "public_access_block" {
  description = "The four public-access-block switches."
  value = {
    block_public_acls       = aws_s3_bucket_public_access_block.this.block_public_acls
    block_public_policy     = aws_s3_bucket_public_access_block.this.block_public_policy
    ignore_public_acls      = aws_s3_bucket_public_access_block.this.ignore_public_acls
    restrict_public_buckets = aws_s3_bucket_public_access_block.this.restrict_public_buckets
  }
}

output "lifecycle" {
  description = "Lifecycle settings: noncurrent_days, abort_incomplete_upload_days, expiration_days."
  value = {
    noncurrent_days              = aws_s3_bucket_lifecycle_configuration.this.rule[0].noncurrent_version_expiration[0].noncurrent_days
    abort_incomplete_upload_days = aws_s3_bucket_lifecycle_configuration.this.rule[0].abort_incomplete_multipart_upload[0].days_after_initiation
    expiration_days              = var.expiration_days
  }
}

output "access_log_bucket" {
  description = "Bucket receiving this bucket's server access logs (null for the log bucket)."
  value       = one(aws_s3_bucket_logging.this[*].target_bucket)
}

output "tags_all" {
  description = "Tags of the bucket including the provider's default tags."
  value       = aws_s3_bucket.this.tags_all
}
