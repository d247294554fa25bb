terraform {
  required_version = ">= 1.10.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.100"
    }
  }

  # Partial configuration: environments/<env>/backend.hcl plus
  # -backend-config=key=projects/<project>.tfstate (one state per project, same root).
  backend "s3" {}
}
