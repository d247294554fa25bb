# Terraform targets, included by the top-level Makefile (which defines PYTHON, PYTEST, VENV).
TF_DIR          := terraform
TF_CHECKOV_VENV ?= .lakehouse/tools/checkov
TF_ENV          ?= dev
TF_STACK        ?= baseline
TF_PROJECT      ?=
# tf-stack.sh's ENV STACK [PROJECT]: TF_STACK=project needs TF_PROJECT (a folder of models/)
TF_STACK_ARGS    = $(TF_ENV) $(TF_STACK) $(if $(filter project,$(TF_STACK)),$(or $(TF_PROJECT),$(error TF_STACK=project needs TF_PROJECT=<project>, e.g. TF_PROJECT=sales)))

.PHONY: tf-check tf-fmt tf-tools tf-plan tf-apply tf-lock

tf-check: ## Terraform: fmt, init (locked) + validate, terraform test (mock), moto apply, checkov, IAM lint
	$(PYTEST) -m terraform tests/terraform

tf-fmt: ## Terraform: format every .tf / .tftest.hcl / .tfvars file
	@eval "$$($(PYTHON) $(TF_DIR)/scripts/tf_env.py)" && terraform fmt -recursive $(TF_DIR)

tf-tools: ## Terraform: install checkov into its own venv (.lakehouse/tools/checkov)
	bash $(TF_DIR)/scripts/install-checkov.sh $(TF_CHECKOV_VENV)

tf-plan: ## Terraform: plan one stack (TF_ENV=dev TF_STACK=baseline|bootstrap|project TF_PROJECT=<p>)
	bash $(TF_DIR)/scripts/tf-stack.sh $(TF_STACK_ARGS) plan

tf-apply: ## Terraform: apply one stack (TF_ENV=dev TF_STACK=baseline|bootstrap|project TF_PROJECT=<p>)
	bash $(TF_DIR)/scripts/tf-stack.sh $(TF_STACK_ARGS) apply

tf-lock: ## Terraform: regenerate every root's .terraform.lock.hcl (from the mirror when found)
	bash $(TF_DIR)/scripts/lock-providers.sh
