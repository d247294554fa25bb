#!/usr/bin/env bash
# Regenerate .terraform.lock.hcl of every root stack (bootstrap, baseline, project),
# from the provider mirror when there is one, else from the registry. Commit the result.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
eval "$(python3 "$here/scripts/tf_env.py")"
mirror="$(python3 "$here/scripts/tf_env.py" --print-mirror)"
for dir in "$here/bootstrap" "$here/baseline" "$here/project"; do
    data="$(mktemp -d)"
    TF_DATA_DIR="$data" terraform -chdir="$dir" init -backend=false -input=false >/dev/null
    TF_DATA_DIR="$data" terraform -chdir="$dir" providers lock -platform=linux_amd64 \
        ${mirror:+-fs-mirror="$mirror"} >/dev/null
    rm -rf "$data"
    echo "locked ${dir#"$here"/}"
done
