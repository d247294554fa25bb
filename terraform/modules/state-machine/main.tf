# A Step Functions state machine (standard workflow) of the domain, as every pipeline of it is
# run: executions logged at level ALL with their data to a KMS-encrypted log group of its own,
# /aws/vendedlogs/states/<name>, X-Ray tracing on.
resource "aws_cloudwatch_log_group" "this" {
  name              = "/aws/vendedlogs/states/${var.name}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn
}

resource "aws_sfn_state_machine" "this" {
  name       = var.name
  role_arn   = var.role_arn
  definition = var.definition

  logging_configuration {
    level                  = "ALL"
    include_execution_data = true
    log_destination        = "${aws_cloudwatch_log_group.this.arn}:*"
  }

  tracing_configuration {
    enabled = true
  }
}
