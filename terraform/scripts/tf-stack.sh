#!/usr/bin/env bash
# Run terraform on one stack of one environment with the right backend key and values.
# Usage: terraform/scripts/tf-stack.sh ENV STACK [PROJECT] COMMAND [ARGS...]
#   STACK: bootstrap | baseline | project (then PROJECT: a folder of models/)
#   e.g.  terraform/scripts/tf-stack.sh dev baseline plan
#         terraform/scripts/tf-stack.sh dev project sales apply
# Init happens first (backend environments/ENV/backend.hcl, key per stack, lock file read-only),
# in a data folder of its own per environment (and project): TF_DATA_DIR=<stack>/.terraform/ENV[/PROJECT].
set -euo pipefail

usage() { sed -n '2,8p' "$0" >&2; exit 2; }
[ $# -ge 3 ] || usage
env="$1"; stack="$2"; shift 2
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="$here/$stack"
envdir="$here/environments/$env"
[ -d "$envdir" ] || { echo "no environment $env under terraform/environments/" >&2; exit 2; }

case "$stack" in
    bootstrap)
        values="$envdir/bootstrap.tfvars"; vars=(); data="$dir/.terraform/$env"
        backend=(-backend-config="path=$dir/$env.tfstate") ;;
    baseline)
        values="$envdir/baseline.tfvars"; vars=(); data="$dir/.terraform/$env"
        backend=(-backend-config="$envdir/backend.hcl" -backend-config="key=baseline.tfstate") ;;
    project)
        [ $# -ge 2 ] || usage
        project="$1"; shift
        [[ "$project" =~ ^[a-z][a-z0-9_]*$ ]] || { echo "not a project name: $project" >&2; exit 2; }
        values="$envdir/project.tfvars"; vars=(-var="project=$project"); data="$dir/.terraform/$env/$project"
        backend=(-backend-config="$envdir/backend.hcl" -backend-config="key=projects/$project.tfstate")
        # plan/apply only for a project that exists (a typo would deploy an empty project);
        # destroy, state, output, ... also serve a removed project's state.
        case "$1" in
            plan|apply)
                known="$(python3 "$here/../lakehouse/projects.py" "$here/..")"
                grep -qxF "$project" <<<"$known" \
                    || { echo "no project $project: not a folder of models/" >&2; exit 2; } ;;
        esac ;;
    *) echo "unknown stack $stack (bootstrap, baseline or project)" >&2; exit 2 ;;
esac

eval "$(python3 "$here/scripts/tf_env.py")"
export TF_DATA_DIR="$data"

terraform -chdir="$dir" init -input=false -lockfile=readonly -reconfigure "${backend[@]}" >/dev/null
cmd="$1"; shift
case "$cmd" in
    plan|apply|destroy|import|console|refresh) terraform -chdir="$dir" "$cmd" -var-file="$values" "${vars[@]}" "$@" ;;
    *) terraform -chdir="$dir" "$cmd" "$@" ;;
esac
