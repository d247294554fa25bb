#!/usr/bin/env bash
# Run terraform on one stack of one environment with the right backend key and values.
# Usage: terraform/scripts/tf-stack.sh ENV STACK [PROJECT] COMMAND [ARGS...]
#   STACK: bootstrap | baseline | project (then PROJECT: a folder of models/)
#   e.g.  terraform/scripts/tf-stack.sh dev baseline plan
#         terraform/scripts/tf-stack.sh dev project sales apply
# Init happens first (backend environments/ENV/backend.hcl, key per stack, lock file read-only),
# in a data folder of its own per environment (and project): TF_DATA_DIR=<stack>/.terraform/ENV[/PROJECT].
# The baseline and project stacks also get their file generated from the dbt manifest
# (lakehouse.release.project_access): domain.tfvars.json (pipeline_stages), <project>.tfvars.json
# (dbt_access), from TF_DBT_ACCESS_DIR, else generated into .lakehouse/terraform/access by a
# `dbt parse` on the local target (no AWS). A project the manifest has no node of builds nothing.
set -euo pipefail

usage() { sed -n '2,12p' "$0" >&2; exit 2; }
[ $# -ge 3 ] || usage
env="$1"; stack="$2"; shift 2
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
repo="$(dirname "$here")"
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

generate_access() {  # OUT: dbt parse (local target, no AWS) + project_access
    local out="$1" dbt python tmp
    dbt="$repo/.venv/bin/dbt"; python="$repo/.venv/bin/python"
    [ -x "$dbt" ] || dbt="$(command -v dbt)" \
        || { echo "generating the dbt access files needs dbt (make setup, or pip install -e .); or set TF_DBT_ACCESS_DIR" >&2; exit 2; }
    [ -x "$python" ] || python=python3
    tmp="$(mktemp -d)"
    echo "dbt access files: dbt parse + lakehouse.release.project_access -> $out" >&2
    if ! (cd "$repo" && DBT_PROFILES_DIR=profiles LAKEHOUSE_DIR="$tmp/lakehouse" \
            "$dbt" parse --target local --target-path "$tmp/target" >"$tmp/parse.log" 2>&1); then
        cat "$tmp/parse.log" >&2; rm -rf "$tmp"; exit 1
    fi
    rm -rf "$out"
    (cd "$repo" && "$python" -m lakehouse.release.project_access --manifest "$tmp/target/manifest.json" --out "$out" >/dev/null)
    rm -rf "$tmp"
}

access=()  # the stack's generated -var-file
cmd="$1"
case "$stack:$cmd" in
    baseline:plan|baseline:apply|baseline:destroy|baseline:import|baseline:console|baseline:refresh|\
    project:plan|project:apply|project:destroy|project:import|project:console|project:refresh)
        access_dir="${TF_DBT_ACCESS_DIR:-}"
        if [ -z "$access_dir" ]; then
            access_dir="$repo/.lakehouse/terraform/access"
            generate_access "$access_dir"
        fi
        [ -f "$access_dir/domain.tfvars.json" ] \
            || { echo "$access_dir holds no domain.tfvars.json: not a folder written by lakehouse.release.project_access" >&2; exit 2; }
        if [ "$stack" = baseline ]; then
            access=(-var-file="$access_dir/domain.tfvars.json")
        elif [ -f "$access_dir/$project.tfvars.json" ]; then
            access=(-var-file="$access_dir/$project.tfvars.json")
        else  # no dbt node of the project (or a removed project): it builds and reads nothing
            none="$(mktemp -d)"
            trap 'rm -rf "$none"' EXIT
            echo '{"dbt_access": {"builds": {"staging": [], "refined": [], "curated": [], "audit": []}, "reads": []}}' \
                >"$none/$project.tfvars.json"
            echo "no dbt access of project $project in $access_dir: it builds and reads nothing" >&2
            access=(-var-file="$none/$project.tfvars.json")
        fi ;;
esac

eval "$(python3 "$here/scripts/tf_env.py")"
export TF_DATA_DIR="$data"

terraform -chdir="$dir" init -input=false -lockfile=readonly -reconfigure "${backend[@]}" >/dev/null
shift
case "$cmd" in
    plan|apply|destroy|import|console|refresh) terraform -chdir="$dir" "$cmd" -var-file="$values" "${access[@]}" "${vars[@]}" "$@" ;;
    *) terraform -chdir="$dir" "$cmd" "$@" ;;
esac
