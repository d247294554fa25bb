"""`make drop-project NAME=inventory`: a project's tables and files out of the local lakehouse,
the local half of offboarding it (docs/runbooks/onboard-and-offboard-a-project.md).

Run it before removing the project's folders: the relations it builds come from the dbt
manifest (lakehouse.release.project_access, the same list its AWS roles are granted), its raw
tables from the naming rule (`{abbr}_raw.<project>__*`: the raw tables, their quarantine, the
run log). It refuses, naming them, while another project's models or tests read one of its
relations: those refs must go first. Then it drops every table and view and deletes the
project's folders: warehouse/<layer>/<project>, the stored failures'
warehouse/artifacts/audit/<project>, landing/<project>, archive/<project> and what its gate
last published (gate-state/<project>).
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

from lakehouse_jobs.domain import load_domain
from lakehouse_jobs.paths import lakehouse_dir, repo_root

from lakehouse import environment, projects
from lakehouse.local import gate as local_gate
from lakehouse.local.dbt import held, run_dbt
from lakehouse.release.project_access import project_access, project_of


def readers(manifest: dict, project: str) -> list[str]:
    """What other projects read of `project`, one `<reader> reads <layer>.<table>` each."""
    others = {project_of(node) for node in manifest["nodes"].values()} - {None, project}
    return [
        f"{other} reads {read['layer']}.{read['table']}"
        for other in sorted(others)
        for read in project_access(manifest, other)["reads"]
        if read["project"] == project
    ]


def folders(home: Path, project: str) -> list[Path]:
    """Where the project's files are in the lakehouse (docs/naming.md)."""
    warehouse = home / "warehouse"
    layers = [warehouse / layer / project for layer in load_domain().layers]
    audit = warehouse / "artifacts" / "audit" / project  # macros/naming/locations.sql
    deliveries = [home / "landing" / project, home / "archive" / project]
    return [*layers, audit, *deliveries, local_gate.state_dir(home) / project]


def drop(spark, manifest: dict, project: str, home: Path) -> list[str]:
    """Drops the project's relations and deletes its folders; returns what went."""
    domain = load_domain()
    gone = []
    for layer, tables in project_access(manifest, project)["builds"].items():
        kind = "view" if layer == "staging" else "table"
        for table in tables:
            spark.sql(f"drop {kind} if exists {domain.database(layer)}.{table}")
            gone.append(f"{domain.database(layer)}.{table}")
    raw = domain.database("raw")
    if spark.catalog.databaseExists(raw):
        for table in spark.catalog.listTables(raw):
            if table.name.startswith(f"{project}__"):
                spark.sql(f"drop table {raw}.{table.name}")
                gone.append(f"{raw}.{table.name}")
    for folder in folders(home, project):
        if folder.exists():
            shutil.rmtree(folder)
            gone.append(str(folder.relative_to(home)) + "/")
    return gone


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1 or not args[0]:
        print("usage: make drop-project NAME=<project>", file=sys.stderr)
        return 2
    project, root = args[0], repo_root()
    if project not in projects.projects(root):
        print(
            f"error: no project {project} in models/: drop a project's data before removing "
            "its folders (else: make clean, then make run)",
            file=sys.stderr,
        )
        return 2

    def work() -> int:
        if not run_dbt("parse").success:
            return 1
        manifest = json.loads((environment.target_dir() / "manifest.json").read_text())
        blocked = readers(manifest, project)
        if blocked:
            print(
                f"error: other projects read {project}: {'; '.join(blocked)}. Remove those refs "
                "first (their build would fail), then drop it",
                file=sys.stderr,
            )
            return 1
        from lakehouse_jobs.spark import get_spark

        for name in drop(get_spark("drop-project"), manifest, project, lakehouse_dir()):
            print(f"  dropped {name}")
        print(f"project {project}: its data is out of the local lakehouse; remove its folders next")
        return 0

    return held("make drop-project", args, work)


if __name__ == "__main__":
    sys.exit(main())
