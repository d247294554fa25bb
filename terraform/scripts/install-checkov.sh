#!/usr/bin/env bash
# Install checkov into its own virtualenv (default: <repo>/.lakehouse/tools/checkov).
# checkov pins heavy dependencies that clash with dbt's, so it never goes into the main venv.
# Idempotent: does nothing when the pinned version is already installed.
# Usage: terraform/scripts/install-checkov.sh [VENV_DIR]   (env: CHECKOV_VERSION, PYTHON)
set -euo pipefail

CHECKOV_VERSION="${CHECKOV_VERSION:-3.3.30}"
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
venv="${1:-${CHECKOV_VENV:-$repo_root/.lakehouse/tools/checkov}}"
python="${PYTHON_FOR_TOOLS:-python3}"

if [ -x "$venv/bin/checkov" ] && "$venv/bin/python" - "$CHECKOV_VERSION" <<'PY' 2>/dev/null
import sys
from importlib.metadata import version
sys.exit(0 if version("checkov") == sys.argv[1] else 1)
PY
then
    echo "checkov $CHECKOV_VERSION already installed in $venv"
    exit 0
fi

mkdir -p "$(dirname "$venv")"
"$python" -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check "checkov==$CHECKOV_VERSION"
echo "checkov $("$venv/bin/checkov" --version) installed in $venv"
