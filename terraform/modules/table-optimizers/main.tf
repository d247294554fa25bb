resource "aws_glue_catalog_table_optimizer" "compaction" {
  for_each = var.tables

  catalog_id    = var.account_id
  database_name = each.value.database
  table_name    = each.value.table
  type          = "compaction"

  configuration {
    role_arn = var.role_arn
    enabled  = var.enabled
  }
}

resource "aws_glue_catalog_table_optimizer" "retention" {
  for_each = var.tables

  catalog_id    = var.account_id
  database_name = each.value.database
  table_name    = each.value.table
  type          = "retention"

  configuration {
    role_arn = var.role_arn
    enabled  = var.enabled

    retention_configuration {
      iceberg_configuration {
        snapshot_retention_period_in_days = var.snapshot_retention_days
        number_of_snapshots_to_retain     = var.snapshots_to_retain
        clean_expired_files               = true
      }
    }
  }
}

resource "aws_glue_catalog_table_optimizer" "orphan_file_deletion" {
  for_each = var.tables

  catalog_id    = var.account_id
  database_name = each.value.database
  table_name    = each.value.table
  type          = "orphan_file_deletion"

  configuration {
    role_arn = var.role_arn
    enabled  = var.enabled

    orphan_file_deletion_configuration {
      iceberg_configuration {
        orphan_file_retention_period_in_days = var.orphan_file_retention_days
        location                             = each.value.location
      }
    }
  }
}
