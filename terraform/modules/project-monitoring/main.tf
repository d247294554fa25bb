# A project's alarms (to the domain's alert topic) and its dashboard, on the metrics the
# ingestion jobs (lakehouse_jobs.lifecycle) and the gate (lakehouse.run_log) put in the
# domain's namespace, and on the project pipeline's Step Functions metrics.
locals {
  project = { Project = var.project }
  jobs    = sort(keys(var.reject_ratio_thresholds))

  # Every alarm of the project, by name (docs/terraform.md, "Metrics, alarms and the
  # dashboard", lists them: keep the two in step). The gate's and the jobs' metrics are the
  # domain's (dimension Project, and Job for a job's); the pipeline's, Step Functions'.
  alarms = merge(
    {
      "${var.name_prefix}-gate-failed" = {
        namespace   = var.metric_namespace, metric = "GateFailed", dimensions = local.project
        statistic   = "Maximum", comparison = "GreaterThanOrEqualToThreshold", threshold = 1
        description = "The gate of ${var.project} failed (a test, a stale source past its error_after, or the publish): nothing it built was published. See its CodeBuild log and docs/runbooks/recover-after-a-failed-gate.md."
      }
      "${var.name_prefix}-stale-source" = {
        namespace   = var.metric_namespace, metric = "StaleSources", dimensions = local.project
        statistic   = "Maximum", comparison = "GreaterThanOrEqualToThreshold", threshold = 1
        description = "A source of ${var.project} is past its freshness warn_after (its YAML's freshness config): its raw data is older than its owners promise. The gate's log names it and its lag; past error_after the gate fails."
      }
      "${var.name_prefix}-pipeline-failed" = {
        namespace   = "AWS/States", metric = "ExecutionsFailed", dimensions = { StateMachineArn = var.state_machine_arn }
        statistic   = "Sum", comparison = "GreaterThanOrEqualToThreshold", threshold = 1
        description = "An execution of the pipeline of ${var.project} failed after its retries (the alert topic also has its own message: which step, which error)."
      }
    },
    { for job, threshold in var.reject_ratio_thresholds : "${job}-reject-ratio" => {
      namespace   = var.metric_namespace, metric = "RejectRatio", dimensions = merge(local.project, { Job = job })
      statistic   = "Maximum", comparison = "GreaterThanThreshold", threshold = threshold
      description = "Job ${job} quarantined more than ${threshold * 100}% of the rows it read in one run (it fails only above its MAX_REJECT_RATIO): look at its quarantine tables' _reject_reason."
    } },
  )
}

# One period, missing data not breaching: a bad run raises an alarm, the next period without
# one clears it; no run, no data, nothing to report.
resource "aws_cloudwatch_metric_alarm" "this" {
  for_each = local.alarms

  alarm_name          = each.key
  alarm_description   = each.value.description
  namespace           = each.value.namespace
  metric_name         = each.value.metric
  dimensions          = each.value.dimensions
  statistic           = each.value.statistic
  comparison_operator = each.value.comparison
  threshold           = each.value.threshold
  period              = var.period_seconds
  evaluation_periods  = 1
  treat_missing_data  = "notBreaching"
  alarm_actions       = [var.alert_topic_arn]
}

locals {
  ns = var.metric_namespace
  # a metric of the namespace, per job: [namespace, name, Project, <p>, Job, <job>, {options}]
  job_metrics = { for name in ["RowsRead", "RowsWritten", "RowsRejected", "RejectRatio", "DurationSeconds"] : name => [
    for job in local.jobs : [local.ns, name, "Project", var.project, "Job", job, { label = "${job} ${name}" }]
  ] }
  widget = { type = "metric", width = 12, height = 6 }
  graph  = { region = var.region, view = "timeSeries", period = var.period_seconds }

  # (a project without jobs has none: filtered, as a conditional needs one type both ways)
  ingestion_widgets = [for w in [
    merge(local.widget, { properties = merge(local.graph, {
      title   = "Ingestion: rows read, written, rejected per run"
      stat    = "Sum"
      metrics = concat(local.job_metrics["RowsRead"], local.job_metrics["RowsWritten"], local.job_metrics["RowsRejected"])
    }) }),
    merge(local.widget, { properties = merge(local.graph, {
      title       = "Ingestion: reject ratio (alarm above the line)"
      stat        = "Maximum"
      metrics     = local.job_metrics["RejectRatio"]
      annotations = { horizontal = [for job in local.jobs : { label = "${job} alarm", value = var.reject_ratio_thresholds[job] }] }
    }) }),
    merge(local.widget, { properties = merge(local.graph, {
      title   = "Ingestion: duration (seconds)"
      stat    = "Maximum"
      metrics = local.job_metrics["DurationSeconds"]
    }) }),
  ] : w if length(local.jobs) > 0]

  widgets = concat(
    [{
      type       = "alarm"
      width      = 24
      height     = 3
      properties = { title = "Alarms of ${var.project}", alarms = local.alarm_arns }
    }],
    local.ingestion_widgets,
    [
      merge(local.widget, { properties = merge(local.graph, {
        title = "Gate: tests failed, stale sources, failed runs"
        stat  = "Maximum"
        metrics = [for name in ["TestsFailed", "StaleSources", "GateFailed"] :
          [local.ns, name, "Project", var.project]
        ]
      }) }),
      merge(local.widget, { properties = merge(local.graph, {
        title = "Gate: freshness lag per source (seconds since its newest load)"
        metrics = [[{
          id         = "lag"
          expression = "SEARCH('{${local.ns},Project,Source} MetricName=\"FreshnessLagSeconds\" Project=\"${var.project}\"', 'Maximum', ${var.period_seconds})"
        }]]
      }) }),
      merge(local.widget, { properties = merge(local.graph, {
        title = "Pipeline executions"
        stat  = "Sum"
        metrics = [for name in ["ExecutionsStarted", "ExecutionsSucceeded", "ExecutionsFailed", "ExecutionsTimedOut", "ExecutionsAborted"] :
          ["AWS/States", name, "StateMachineArn", var.state_machine_arn]
        ]
      }) }),
      merge(local.widget, { properties = merge(local.graph, {
        title   = "Gate: duration (seconds)"
        stat    = "Maximum"
        metrics = [[local.ns, "GateDurationSeconds", "Project", var.project]]
      }) }),
    ],
  )

  alarm_arns = [for a in aws_cloudwatch_metric_alarm.this : a.arn]
}

resource "aws_cloudwatch_dashboard" "this" {
  dashboard_name = var.name_prefix
  dashboard_body = jsonencode({ widgets = local.widgets })
}
