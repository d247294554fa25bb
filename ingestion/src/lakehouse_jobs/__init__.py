"""The commerce domain's ingestion job library: shipped to AWS Glue as a wheel, run locally as is."""
