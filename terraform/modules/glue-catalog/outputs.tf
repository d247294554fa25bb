output "database_names" {
  description = "Names of the Glue databases."
  value       = [for d in aws_glue_catalog_database.this : d.name]
}

output "database_arns" {
  description = "Map database name => ARN."
  value       = { for k, d in aws_glue_catalog_database.this : k => d.arn }
}

output "security_configuration_name" {
  description = "Name of the Glue security configuration."
  value       = aws_glue_security_configuration.this.name
}
