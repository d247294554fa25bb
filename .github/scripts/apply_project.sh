#!/usr/bin/env bash
# terraform apply of one project stack (deploy.yml), with the refined/curated tables that exist.
#
#     apply_project.sh <project>      (DEPLOY_ENV set; credentials of AWS_ROLE_PROJECTS)
#
# AWS refuses a table optimizer for a table that does not exist, and dbt creates the tables
# only after the stack (its roles) exists. So the stack gets the catalog's list of tables
# (TF_VAR_existing_tables) and makes optimizers for those only; deploy.yml applies again after
# dbt (optimize-projects), which adds the optimizers of the tables dbt has just created.
set -euo pipefail

project="$1"
root="$(cd "$(dirname "$0")/../.." && pwd)"
abbr="$(sed -n 's/^abbreviation: *\([a-z0-9]*\).*/\1/p' "${root}/domain.yml")"

tables="[]"
for layer in refined curated; do
  names="$(aws glue get-tables --database-name "${abbr}_${layer}" \
    --query 'TableList[].Name' --output json)"
  tables="$(jq -c --arg db "${abbr}_${layer}" --argjson names "${names:-[]}" \
    '. + (($names // []) | map($db + "." + .))' <<<"${tables}")"
done
export TF_VAR_existing_tables="${tables}"
echo "existing refined/curated tables: ${tables}"

cd "${root}/terraform/projects/${project}"
terraform init -lockfile=readonly \
  -backend-config="../../environments/${DEPLOY_ENV}/backend.hcl" \
  -backend-config="key=projects/${project}.tfstate"
terraform apply -auto-approve -var-file="../../environments/${DEPLOY_ENV}/project.tfvars"
