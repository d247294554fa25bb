#!/usr/bin/env bash
# The deployment's build (deploy.yml, job dbt): the domain's schedule <abbr>-<env>-domain-pipeline
# without its ingestion, for the batch deploy-<commit>: every project's quality gate, stage by
# stage in the waves of the manifest, each project as its own roles. Waits for the execution and
# fails when it does not succeed.
#
#     run_domain_pipeline.sh <commit>     (DEPLOY_ENV and AWS_REGION set; credentials of AWS_ROLE_PIPELINE)
#
# A fresh environment, where a project with sources has no raw tables yet, is not built (its
# staging views would have nothing to read): a notice, exit 0; the schedule builds it after
# the first ingestion. POLL_SECONDS (default 30) is the wait between two looks.
set -euo pipefail

sha="$1"
root="$(cd "$(dirname "$0")/../.." && pwd)"
abbr="$(sed -n 's/^abbreviation: *\([a-z0-9]*\).*/\1/p' "${root}/domain.yml")"
poll="${POLL_SECONDS:-30}"

missing=()
# the projects with sources: models/<project>/staging/<source>/_<source>__sources.yml
for project in $(cd "${root}/models" && printf '%s\n' */staging/*/_*__sources.yml | cut -d/ -f1 | sort -u); do
  [ -d "${root}/models/${project}" ] || continue
  tables="$(aws glue get-tables --database-name "${abbr}_raw" --expression "${project}__.*" \
    --query 'length(TableList)' --output text)"
  if [ "${tables}" = "0" ]; then missing+=("${project}"); fi
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "::notice::no raw tables yet for ${missing[*]}: the domain pipeline builds the domain after the first ingestion"
  exit 0
fi

account="$(aws sts get-caller-identity --query Account --output text)"
machine="arn:aws:states:${AWS_REGION}:${account}:stateMachine:${abbr}-${DEPLOY_ENV}-domain-pipeline"
input="$(jq -cn --arg batch "deploy-${sha}" '{batch_id: $batch, ingest: false}')"
execution="$(aws stepfunctions start-execution --state-machine-arn "${machine}" --input "${input}" \
  --query executionArn --output text)"
echo "started ${execution} with ${input}"

while :; do
  status="$(aws stepfunctions describe-execution --execution-arn "${execution}" --query status --output text)"
  case "${status}" in
    RUNNING | PENDING_REDRIVE) sleep "${poll}" ;;
    SUCCEEDED)
      echo "the domain pipeline succeeded: every stage of every project passed its gate"
      exit 0
      ;;
    *)
      aws stepfunctions describe-execution --execution-arn "${execution}" \
        --query '{status: status, error: error, cause: cause}' --output json >&2 || true
      echo "::error::the domain pipeline ended ${status}: no later wave ran (see the alert and ${execution})"
      exit 1
      ;;
  esac
done
