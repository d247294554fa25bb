output "optimized_tables" {
  description = "Keys (database.table) of the tables that have compaction, retention and orphan-file-deletion optimizers."
  value       = sort(keys(var.tables))
}
