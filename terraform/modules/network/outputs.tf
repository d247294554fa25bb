output "vpc_id" {
  description = "Id of the VPC."
  value       = aws_vpc.this.id
}

output "private_subnet_ids" {
  description = "Ids of the private subnets."
  value       = [for s in aws_subnet.this : s.id]
}

output "glue_security_group_id" {
  description = "Security group of Glue workers."
  value       = aws_security_group.glue.id
}

output "glue_connection_name" {
  description = "Name of the Glue NETWORK connection."
  value       = aws_glue_connection.this.name
}

output "flow_log_group_name" {
  description = "CloudWatch log group of the VPC flow logs."
  value       = aws_cloudwatch_log_group.flow_logs.name
}

output "flow_logs_role_policy" {
  description = "Inline policy of the flow-logs delivery role (JSON), for policy linting."
  value       = aws_iam_role_policy.flow_logs.policy
}

output "vpc_tags_all" {
  description = "Tags of the VPC including the provider's default tags."
  value       = aws_vpc.this.tags_all
}
