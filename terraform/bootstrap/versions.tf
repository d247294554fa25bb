terraform {
  required_version = ">= 1.10.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.100"
    }
  }

  # The state bucket cannot hold the state of the stack that creates it: this stack keeps a
  # local state (every name is deterministic, so `terraform import` recovers it).
  backend "local" {}
}
