output "topic_arn" {
  description = "ARN of the SNS alert topic."
  value       = aws_sns_topic.this.arn
}

output "rule_names" {
  description = "Names of the EventBridge failure rules."
  value       = [for r in aws_cloudwatch_event_rule.this : r.name]
}

output "rule_patterns" {
  description = "Map rule name => event pattern (JSON)."
  value       = { for r in aws_cloudwatch_event_rule.this : r.name => r.event_pattern }
}
