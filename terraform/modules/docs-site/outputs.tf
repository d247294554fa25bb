output "url" {
  description = "Where readers open the site: https://<distribution domain>/."
  value       = "https://${aws_cloudfront_distribution.this.domain_name}/"
}

output "distribution_id" {
  description = "Id of the distribution (the deployment invalidates its cache after a sync)."
  value       = aws_cloudfront_distribution.this.id
}

output "distribution_arn" {
  description = "ARN of the distribution: the only reader of the site's prefix (bucket policy) and of its objects' key (key policy), by aws:SourceArn."
  value       = aws_cloudfront_distribution.this.arn
}

output "signing_key_arn" {
  description = "ARN of the KMS key readers sign their passes with (kms:Sign, RSASSA_PKCS1_V1_5_SHA_256)."
  value       = module.signing_key.key_arn
}

output "key_pair_id" {
  description = "Id of the CloudFront public key of the signing key: a pass's Key-Pair-Id."
  value       = aws_cloudfront_public_key.signing.id
}

output "key_group_id" {
  description = "Id of the key group the distribution trusts."
  value       = aws_cloudfront_key_group.readers.id
}

output "signing_key_policy" {
  description = "The signing key's policy (JSON)."
  value       = module.signing_key.policy
}

output "function_code" {
  description = "The viewer-request function's code, as deployed."
  value       = aws_cloudfront_function.passes.code
}

output "pass_max_hours" {
  description = "Longest a pass may last."
  value       = var.pass_max_hours
}

output "origin" {
  description = "Where the distribution reads: the bucket's regional domain, the site's path in it, and its origin access control (type, signing behavior, protocol)."
  value = {
    domain_name = one(aws_cloudfront_distribution.this.origin[*].domain_name)
    path        = one(aws_cloudfront_distribution.this.origin[*].origin_path)
    access_control = {
      type             = aws_cloudfront_origin_access_control.this.origin_access_control_origin_type
      signing_behavior = aws_cloudfront_origin_access_control.this.signing_behavior
      signing_protocol = aws_cloudfront_origin_access_control.this.signing_protocol
    }
  }
}

output "viewer_access" {
  description = "What a viewer must bring: the trusted key groups, the viewer protocol policy, and the functions run on its requests (event types)."
  value = {
    trusted_key_groups     = one(aws_cloudfront_distribution.this.default_cache_behavior[*].trusted_key_groups)
    viewer_protocol_policy = one(aws_cloudfront_distribution.this.default_cache_behavior[*].viewer_protocol_policy)
    function_events        = [for f in one(aws_cloudfront_distribution.this.default_cache_behavior[*].function_association) : f.event_type]
  }
}
