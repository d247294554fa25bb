locals {
  partition = "aws"
  root_arn  = "arn:${local.partition}:iam::${var.account_id}:root"

  statements = concat(
    [{
      Sid       = "RootAdministersKey"
      Effect    = "Allow"
      Principal = { AWS = local.root_arn }
      Action    = "kms:*"
      Resource  = "*"
    }],
    length(var.user_role_arn_patterns) == 0 ? [] : [{
      Sid       = "DomainRolesUseKey"
      Effect    = "Allow"
      Principal = { AWS = "*" }
      Action = [
        "kms:Decrypt",
        "kms:DescribeKey",
        "kms:Encrypt",
        "kms:GenerateDataKey*",
        "kms:ReEncrypt*",
      ]
      Resource = "*"
      Condition = {
        StringEquals = { "aws:PrincipalAccount" = var.account_id }
        ArnLike      = { "aws:PrincipalArn" = var.user_role_arn_patterns }
      }
    }],
    var.allow_cloudwatch_logs ? [{
      Sid       = "CloudWatchLogsUseKey"
      Effect    = "Allow"
      Principal = { Service = "logs.${var.region}.amazonaws.com" }
      Action = [
        "kms:Decrypt*",
        "kms:Describe*",
        "kms:Encrypt*",
        "kms:GenerateDataKey*",
        "kms:ReEncrypt*",
      ]
      Resource = "*"
      Condition = {
        ArnLike = {
          "kms:EncryptionContext:aws:logs:arn" = "arn:${local.partition}:logs:${var.region}:${var.account_id}:log-group:*"
        }
      }
    }] : [],
    length(var.cloudfront_distribution_arns) == 0 ? [] : [{
      Sid       = "CloudFrontDecryptsForDistributions"
      Effect    = "Allow"
      Principal = { Service = "cloudfront.amazonaws.com" }
      Action    = "kms:Decrypt"
      Resource  = "*"
      Condition = {
        StringEquals = { "aws:SourceArn" = var.cloudfront_distribution_arns }
      }
    }],
    length(var.signer_arns) == 0 ? [] : [{
      Sid       = "SignersSign"
      Effect    = "Allow"
      Principal = { AWS = var.signer_arns }
      Action    = ["kms:Sign", "kms:DescribeKey"]
      Resource  = "*"
      Condition = {
        StringEquals = { "kms:SigningAlgorithm" = var.signing_algorithm }
      }
    }],
    length(var.service_principals) == 0 ? [] : [{
      Sid       = "ServicesUseKey"
      Effect    = "Allow"
      Principal = { Service = var.service_principals }
      Action    = ["kms:Decrypt", "kms:GenerateDataKey*"]
      Resource  = "*"
      Condition = {
        StringEquals = { "aws:SourceAccount" = var.account_id }
      }
    }],
  )

  policy = jsonencode({ Version = "2012-10-17", Statement = local.statements })
}

resource "aws_kms_key" "this" {
  #checkov:skip=CKV_AWS_7:Rotation is on for every encryption key; a signing key (signing_algorithm set) is asymmetric, which AWS cannot rotate: rotate it by replacing it.
  description              = var.description
  customer_master_key_spec = var.signing_algorithm == null ? "SYMMETRIC_DEFAULT" : "RSA_2048"
  key_usage                = var.signing_algorithm == null ? "ENCRYPT_DECRYPT" : "SIGN_VERIFY"
  enable_key_rotation      = var.signing_algorithm == null
  deletion_window_in_days  = var.deletion_window_in_days
  policy                   = local.policy

  lifecycle {
    precondition {
      condition     = var.signing_algorithm != null || length(var.signer_arns) == 0
      error_message = "signer_arns need a signing key: set signing_algorithm."
    }
  }
}

resource "aws_kms_alias" "this" {
  name          = var.alias
  target_key_id = aws_kms_key.this.key_id
}
