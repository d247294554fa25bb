output "alarms" {
  description = "Map alarm name => {namespace, metric, dimensions, statistic, comparison, threshold, period, actions, missing (treat_missing_data)} of every alarm of the project."
  value = {
    for a in aws_cloudwatch_metric_alarm.this : a.alarm_name => {
      namespace  = a.namespace
      metric     = a.metric_name
      dimensions = a.dimensions
      statistic  = a.statistic
      comparison = a.comparison_operator
      threshold  = a.threshold
      period     = a.period
      actions    = a.alarm_actions
      missing    = a.treat_missing_data
    }
  }
}

output "dashboard_name" {
  description = "The project's CloudWatch dashboard ({abbr}-{env}-{project})."
  value       = aws_cloudwatch_dashboard.this.dashboard_name
}

output "dashboard_body" {
  description = "The dashboard's body (JSON: its widgets)."
  value       = aws_cloudwatch_dashboard.this.dashboard_body
}
