"""The dbt project as the scheduled pipeline runs it on AWS: a zip CodeBuild takes as its source.

    python -m lakehouse.release.dbt_bundle --out dist/dbt-project.zip      (make dbt-bundle)

The zip holds what dbt reads (dbt_project.yml, models, macros, seeds, snapshots, tests/dbt,
analyses, the profile), the quality gate the pipeline's buildspec runs
(`python -m lakehouse.gate`: lakehouse/__init__.py, host_name.py, gate.py,
published_state.py, ast_guard.py, dbt_lineage.py and run_log.py, with the job library's
lineage module it sends events through and its metrics module, one code path for the jobs' and
the gate's CloudWatch metrics) plus `requirements-dbt.txt`: the dbt packages and openlineage-python
pinned in pyproject.toml, without Spark (dbt-glue runs the work in Glue sessions). The deploy
workflow
publishes it as `s3://<artifacts>/dbt/<commit>/dbt-project.zip`, where the project stack's
CodeBuild looks.
The archive is reproducible: same files, same bytes.
"""

from __future__ import annotations

import argparse
import re
import sys
import tomllib
import zipfile
from pathlib import Path

# the checkout this module lives in (standard library only: the release step installs nothing)
ROOT = Path(__file__).resolve().parents[2]
FILES = ("dbt_project.yml", "profiles/profiles.yml")
# the gate, run from the bundle's root as `python -m lakehouse.gate` (nothing else of lakehouse/),
# and the job library's modules its lineage events and metrics go through (archived as
# lakehouse_jobs/)
GATE = tuple(
    f"lakehouse/{name}"
    for name in (
        "__init__.py",
        "host_name.py",
        "gate.py",
        "published_state.py",
        "ast_guard.py",
        "dbt_lineage.py",
        "run_log.py",
    )
)
JOB_LIBRARY = "ingestion/src"
JOB_MODULES = tuple(
    f"{JOB_LIBRARY}/lakehouse_jobs/{name}"
    for name in ("__init__.py", "logs.py", "lineage.py", "metrics.py")
)
FOLDERS = ("models", "macros", "seeds", "snapshots", "analyses", "tests/dbt")
REQUIREMENTS = "requirements-dbt.txt"
EPOCH = (1980, 1, 1, 0, 0, 0)  # zip's earliest date: no build time in the archive


def dbt_requirements(pyproject: Path) -> list[str]:
    """The dbt-* and openlineage-* pins of pyproject.toml, extras dropped (dbt-spark[session]
    would pull Spark)."""
    dependencies = tomllib.loads(pyproject.read_text())["project"]["dependencies"]
    wanted = ("dbt-", "openlineage-")
    pins = [re.sub(r"\[[^\]]*\]", "", d) for d in dependencies if d.startswith(wanted)]
    if not any(p.startswith("dbt-glue") for p in pins):
        raise ValueError(f"{pyproject}: no dbt-glue pin among the dependencies")
    return pins


def bundle_files(root: Path) -> dict[str, bytes]:
    """Archive name -> content."""
    files = {name: (root / name).read_bytes() for name in (*FILES, *GATE)}
    for name in JOB_MODULES:
        files[name.removeprefix(f"{JOB_LIBRARY}/")] = (root / name).read_bytes()
    for folder in FOLDERS:
        for path in sorted((root / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                files[path.relative_to(root).as_posix()] = path.read_bytes()
    requirements = "\n".join(dbt_requirements(root / "pyproject.toml")) + "\n"
    files[REQUIREMENTS] = requirements.encode()
    return files


def build(out: Path, root: Path | None = None) -> Path:
    files = bundle_files(root or ROOT)
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, files[name])
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("dist/dbt-project.zip"))
    args = parser.parse_args(argv)
    out = build(args.out)
    print(f"{out} ({out.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
