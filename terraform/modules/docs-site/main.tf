locals {
  # A reader given as an account id is that account (its administrators then decide which of
  # its roles may sign); a role ARN is that role only.
  reader_principals = [for r in var.readers : can(regex("^[0-9]{12}$", r)) ? "arn:aws:iam::${r}:root" : r]
  origin_id         = "docs"

  # AWS managed policies: CachingOptimized (no query string or cookie in the cache key: a pass
  # never splits the cache) and SecurityHeadersPolicy (HSTS, nosniff, frame and referrer rules).
  caching_optimized_policy_id = "658327ea-f89d-4fab-a63d-7e88639e58f6"
  security_headers_policy_id  = "67f7725c-6f97-4210-82d7-5512b31e9d03"
}

# The pass signing key: its private half never leaves KMS; CloudFront trusts its public half.
# Readers sign their own passes with it (docs/terraform.md, "The docs site").
module "signing_key" {
  source = "../kms-key"

  alias             = "alias/${var.name}-signing"
  description       = "Signs the passes of the docs site ${var.name} (CloudFront signed cookies)"
  account_id        = var.account_id
  region            = var.region
  signing_algorithm = "RSASSA_PKCS1_V1_5_SHA_256" # CloudFront's RSA with SHA-256
  signer_arns       = local.reader_principals
}

data "aws_kms_public_key" "signing" {
  key_id = module.signing_key.key_id
}

resource "aws_cloudfront_public_key" "signing" {
  name        = "${var.name}-signing"
  encoded_key = data.aws_kms_public_key.signing.public_key_pem

  lifecycle {
    create_before_destroy = true # the key group moves to a new key before the old one goes
  }
}

resource "aws_cloudfront_key_group" "readers" {
  name  = var.name
  items = [aws_cloudfront_public_key.signing.id]
}

resource "aws_cloudfront_function" "passes" {
  name    = "${var.name}-passes"
  comment = "Caps a pass's lifetime; a signed URL becomes the same pass as cookies"
  runtime = "cloudfront-js-2.0"
  publish = true
  code    = templatefile("${path.module}/viewer_request.js", { max_hours = var.pass_max_hours })
}

resource "aws_cloudfront_origin_access_control" "this" {
  name                              = var.name
  description                       = "CloudFront reads the docs site in ${var.bucket_name} (SigV4)"
  origin_access_control_origin_type = "s3"
  signing_behavior                  = "always"
  signing_protocol                  = "sigv4"
}

resource "aws_cloudfront_distribution" "this" {
  #checkov:skip=CKV_AWS_68:No WAF: every request needs a pass signed with the domain's KMS key, and CloudFront refuses the others before the origin; a WAF web ACL (us-east-1) would only add rate limits.
  #checkov:skip=CKV2_AWS_47:No WAF (see CKV_AWS_68); the origin is a static site in S3, no application a Log4j rule could protect.
  #checkov:skip=CKV_AWS_86:CloudFront standard logging writes with ACLs, which the domain's buckets disable (bucket-owner enforced); the S3 server access log of the artifacts bucket records every object CloudFront reads.
  #checkov:skip=CKV_AWS_174:Served on its *.cloudfront.net name with CloudFront's certificate, whose security policy cannot be chosen; a custom domain with its own ACM certificate is an operator's choice.
  #checkov:skip=CKV2_AWS_42:Same as CKV_AWS_174: the default *.cloudfront.net certificate, no custom domain.
  #checkov:skip=CKV_AWS_310:One origin, the site's S3 prefix; no second copy to fail over to.
  #checkov:skip=CKV_AWS_374:Readers of other domains may be anywhere; the pass, not the country, decides.
  #checkov:skip=CKV2_AWS_32:A response headers policy is attached: AWS's managed SecurityHeadersPolicy, by its id; checkov recognises only a policy resource of the configuration.
  enabled             = true
  comment             = "dbt docs of ${var.name}"
  default_root_object = "index.html"
  http_version        = "http2and3"
  is_ipv6_enabled     = true
  price_class         = var.price_class
  wait_for_deployment = false # the baseline goes on; the deployment syncs the site much later

  origin {
    origin_id                = local.origin_id
    domain_name              = var.bucket_regional_domain_name
    origin_path              = "/${trimsuffix(var.prefix, "/")}"
    origin_access_control_id = aws_cloudfront_origin_access_control.this.id
  }

  default_cache_behavior {
    target_origin_id           = local.origin_id
    viewer_protocol_policy     = "redirect-to-https"
    allowed_methods            = ["GET", "HEAD"]
    cached_methods             = ["GET", "HEAD"]
    compress                   = true
    cache_policy_id            = local.caching_optimized_policy_id
    response_headers_policy_id = local.security_headers_policy_id
    trusted_key_groups         = [aws_cloudfront_key_group.readers.id]

    function_association {
      event_type   = "viewer-request"
      function_arn = aws_cloudfront_function.passes.arn
    }
  }

  restrictions {
    geo_restriction {
      restriction_type = "none"
    }
  }

  viewer_certificate {
    cloudfront_default_certificate = true
  }
}
