#!/usr/bin/env bash
# terraform apply of one project's stack (deploy.yml), with the refined/curated tables that exist:
# the root terraform/project with -var project=<project>, through terraform/scripts/tf-stack.sh
# (state key projects/<project>.tfstate, a data folder of its own).
#
#     apply_project.sh <project>      (DEPLOY_ENV and TF_DBT_ACCESS_DIR set; credentials of AWS_ROLE_PROJECTS)
#
# TF_DBT_ACCESS_DIR is the deploy workflow's `access` artifact (lakehouse.release.project_access
# of this commit's manifest): tf-stack.sh passes <dir>/<project>.tfvars.json, the project's
# dbt_access (what its roles may build and read). A deployment never regenerates it.
#
# AWS refuses a table optimizer for a table that does not exist, and dbt creates the tables
# only after the stack (its roles) exists. So the stack gets the catalog's list of tables
# (TF_VAR_existing_tables) and makes optimizers for those only; deploy.yml applies again after
# dbt (optimize-projects), which adds the optimizers of the tables dbt has just created.
set -euo pipefail

project="$1"
root="$(cd "$(dirname "$0")/../.." && pwd)"
if [ ! -f "${TF_DBT_ACCESS_DIR:-}/domain.tfvars.json" ]; then
  echo "TF_DBT_ACCESS_DIR=${TF_DBT_ACCESS_DIR:-} holds no access files: set it to the deploy workflow's access artifact" >&2
  exit 2
fi
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

bash "${root}/terraform/scripts/tf-stack.sh" "${DEPLOY_ENV}" project "${project}" apply -auto-approve
