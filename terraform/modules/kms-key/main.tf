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
  description             = var.description
  enable_key_rotation     = true
  deletion_window_in_days = var.deletion_window_in_days
  policy                  = local.policy
}

resource "aws_kms_alias" "this" {
  name          = var.alias
  target_key_id = aws_kms_key.this.key_id
}
