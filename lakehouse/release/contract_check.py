"""Breaking changes to the data products, caught before they deploy (docs/ci-cd.md, "The
contract check").

    python -m lakehouse.release.contract_check --state DIR    # DIR/manifest.json: as deployed
    python -m lakehouse.release.contract_check --base REF     # a git ref, e.g. origin/main

compares this checkout's dbt project (parsed, local target, no Spark, no AWS) with a deployed
manifest (deploy.yml records one per environment) or with the project at git ref REF (parsed
from `git archive`: the working tree is never touched).

What a consumer reads is a table: every table of a model with an enforced contract (each
public data product has one) must still be built by a model with an enforced contract, with
each of its columns under the same name and type. Adding columns is compatible. Removing,
renaming or retyping a column, dropping the contract or the table breaks the consumers and
fails, unless the change comes as a new model version in its own table (dbt names it
<model>_v<n>) while the old version keeps the old table, or the old model was past its
`deprecation_date`. Exit 1 lists every break (model, table, column); exit 2 when the check
cannot run.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from lakehouse.release.project_access import project_of

ROOT = Path(__file__).resolve().parents[2]


class CheckError(Exception):
    """The check could not run (a bad ref, a project that does not parse, no manifest)."""


@dataclass(frozen=True)
class Contract:
    model: str  # name, with .v<n> when versioned
    table: str  # the relation a consumer reads (its alias)
    columns: dict[str, str]  # name -> data type, normalised
    deprecated: bool  # past its deprecation_date: may be dropped


def normalised(data_type: str | None) -> str:
    return "".join((data_type or "").lower().split())


def contracts(manifest: dict, now: datetime | None = None) -> dict[tuple, Contract]:
    """The enforced contracts of a manifest's models, by (project, table they build): the
    schema is left out, it differs between targets (the deployed manifest is prod's)."""
    now = now or datetime.now(UTC)
    found = {}
    for node in manifest["nodes"].values():
        if node["resource_type"] != "model" or not node["config"].get("contract", {}).get(
            "enforced"
        ):
            continue
        deprecation = node.get("deprecation_date")
        if deprecation:
            deprecation = datetime.fromisoformat(str(deprecation))
            deprecation = deprecation if deprecation.tzinfo else deprecation.replace(tzinfo=UTC)
        version = node.get("version")
        found[(project_of(node) or "", node["alias"])] = Contract(
            model=node["name"] + (f".v{version}" if version is not None else ""),
            table=node["alias"],
            columns={
                name: normalised(column.get("data_type"))
                for name, column in node["columns"].items()
            },
            deprecated=bool(deprecation) and deprecation <= now,
        )
    return found


def breaking_changes(deployed: dict[tuple, Contract], proposed: dict[tuple, Contract]) -> list[str]:
    """Every way `proposed` breaks a consumer of `deployed`, one line each."""
    breaks = []
    for key, old in sorted(deployed.items()):
        new, table = proposed.get(key), old.table
        if new is None:
            if not old.deprecated:
                breaks.append(
                    f"{old.model} (table {table}): no model with an enforced contract "
                    "builds the table any more (deleted, renamed, contract dropped, or a "
                    f"new version took another table: give the old one alias {table}); "
                    "retiring it needs a deprecation_date that has passed"
                )
            continue
        for column, data_type in old.columns.items():
            if column not in new.columns:
                breaks.append(f"{new.model} (table {table}): column {column} removed or renamed")
            elif new.columns[column] != data_type:
                breaks.append(
                    f"{new.model} (table {table}): column {column} retyped "
                    f"{data_type} -> {new.columns[column]}"
                )
    return breaks


def parse(project: Path, target: Path) -> dict:
    """The manifest of `project` (dbt parse, local target, in a throw-away lakehouse dir)."""
    env = {
        **os.environ,
        "DBT_TARGET": "local",
        "DBT_PROFILES_DIR": str(project / "profiles"),
        "LAKEHOUSE_DIR": str(target / "lakehouse"),
        "DBT_LOG_PATH": str(target / "logs"),
        "DBT_USE_COLORS": "false",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    parsed = subprocess.run(
        [
            str(Path(sys.executable).parent / "dbt"),
            "parse",
            "--project-dir",
            str(project),
            "--target-path",
            str(target),
        ],
        env=env,
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    if parsed.returncode != 0:
        raise CheckError(f"dbt parse of {project} failed:\n{parsed.stdout[-2000:]}")
    return json.loads((target / "manifest.json").read_text())


def project_at(project: Path, ref: str, into: Path) -> Path:
    """The files of `project` at git ref `ref`, exported into `into`."""
    archive = subprocess.run(
        ["git", "-C", str(project), "archive", "--format=tar", ref],
        capture_output=True,
        check=False,
    )
    if archive.returncode != 0:
        raise CheckError(f"git ref {ref!r}: {archive.stderr.decode().strip()}")
    into.mkdir()
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive.stdout, check=True)
    return into


def deployed_manifest(state: Path) -> dict:
    path = state / "manifest.json"
    if not path.is_file():
        raise CheckError(f"{path}: no such file (the deployed manifest)")
    return json.loads(path.read_text())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--state", type=Path, help="directory of the deployed manifest.json")
    source.add_argument("--base", help="git ref of the project to compare with (origin/main)")
    parser.add_argument(
        "--project-dir", type=Path, default=ROOT, help="the dbt project (this checkout)"
    )
    args = parser.parse_args(argv)
    project = args.project_dir.resolve()
    with tempfile.TemporaryDirectory(prefix="contract-check-") as tmp:
        work = Path(tmp)
        try:
            if args.state:
                base = deployed_manifest(args.state)
            else:
                base = parse(project_at(project, args.base, work / "base"), work / "base-target")
            proposed = contracts(parse(project, work / "target"))
        except CheckError as error:
            print(f"contract check: {error}", file=sys.stderr)
            return 2
    deployed = contracts(base)
    against = args.state or args.base
    breaks = breaking_changes(deployed, proposed)
    if breaks:
        print(
            f"contract check: {len(breaks)} breaking change(s) against {against}:", file=sys.stderr
        )
        for line in breaks:
            print(f"  - {line}", file=sys.stderr)
        print(
            "Keep the columns (adding is fine), or publish the change as a new model version "
            '(docs/ci-cd.md, "The contract check").',
            file=sys.stderr,
        )
        return 1
    print(
        f"contract check: {len(deployed)} contracted table(s) of {against} unbroken "
        f"({len(proposed)} now)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
