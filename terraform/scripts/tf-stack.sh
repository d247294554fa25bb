#!/usr/bin/env bash
# Run terraform on one stack of one environment with the right backend key and values.
# Usage: terraform/scripts/tf-stack.sh ENV STACK COMMAND [ARGS...]
#   STACK: bootstrap | baseline | projects/<project>
#   e.g.  terraform/scripts/tf-stack.sh dev baseline plan
#         terraform/scripts/tf-stack.sh dev projects/sales apply
# Init happens first (backend environments/ENV/backend.hcl, key per stack, lock file read-only).
set -euo pipefail

[ $# -ge 3 ] || { sed -n '2,8p' "$0"; exit 2; }
env="$1"; stack="$2"; shift 2
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="$here/$stack"
envdir="$here/environments/$env"
[ -d "$dir" ] || { echo "no stack $stack under terraform/" >&2; exit 2; }
[ -d "$envdir" ] || { echo "no environment $env under terraform/environments/" >&2; exit 2; }

eval "$(python3 "$here/scripts/tf_env.py")"
export TF_DATA_DIR="$dir/.terraform/$env"   # one working dir per environment

case "$stack" in
    bootstrap) values="$envdir/bootstrap.tfvars"; backend=(-backend-config="path=$dir/$env.tfstate") ;;
    baseline) values="$envdir/baseline.tfvars"; backend=(-backend-config="$envdir/backend.hcl" -backend-config="key=baseline.tfstate") ;;
    projects/*) values="$envdir/project.tfvars"; backend=(-backend-config="$envdir/backend.hcl" -backend-config="key=$stack.tfstate") ;;
    *) echo "unknown stack $stack" >&2; exit 2 ;;
esac

terraform -chdir="$dir" init -input=false -lockfile=readonly -reconfigure "${backend[@]}" >/dev/null
cmd="$1"; shift
case "$cmd" in
    plan|apply|destroy|import|console|refresh) terraform -chdir="$dir" "$cmd" -var-file="$values" "$@" ;;
    *) terraform -chdir="$dir" "$cmd" "$@" ;;
esac
