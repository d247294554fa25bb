"""The environment of a local lakehouse: its folder and what dbt needs to work on it.

A lakehouse is one folder (`$LAKEHOUSE_DIR`, default `.lakehouse/`): jars, sample data,
landing files, the warehouse, the metastore, and, for every lakehouse but the checkout's own,
dbt's target and log folders. Every process that works on a lakehouse other than the default
(tests, parity, bench, glue-local) gets its environment from `dbt_environment`, so that the
variables are set in one place.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from lakehouse_jobs.paths import lakehouse_dir, repo_root
from lakehouse_jobs.spark import metastore_environment

from lakehouse import dbt_lineage, host_name

# What an emptied lakehouse keeps: the installed jars and the generated sample data, the same
# on every run and slow to make again.
KEPT = ("jars", "tpch")


def dbt_environment(home: Path, root: Path | None = None) -> dict[str, str]:
    """The variables of a process working on the lakehouse in `home` (not the checkout's own)
    with the project of the checkout `root` (default: this one): dbt's target and logs go
    inside the lakehouse, so that two lakehouses never share a manifest."""
    return {
        **metastore_environment(home),
        "DBT_PROFILES_DIR": str((root or repo_root()) / "profiles"),
        "DBT_TARGET_PATH": str(home / "dbt-target"),
        "DBT_LOG_PATH": str(home / "dbt-logs"),
        **host_name.variables(),  # for a child that is not a lakehouse entry point
    }


def use(home: Path) -> None:
    """Points this process (its dbt, its Spark set-up) at the lakehouse in `home`."""
    os.environ.update(dbt_environment(home))


def defaults() -> None:
    """What dbt needs to find the project's profile and the current lakehouse."""
    os.environ.setdefault("DBT_PROFILES_DIR", str(repo_root() / "profiles"))
    os.environ.update(metastore_environment(lakehouse_dir()))


def target_dir() -> Path:
    """Where dbt writes manifest, run results and the docs site (DBT_TARGET_PATH wins)."""
    return dbt_lineage.target_dir(repo_root())


def fresh(home: Path, kept: tuple[str, ...] = KEPT) -> None:
    """Empties a lakehouse folder (metastore, tables, dbt files, logs) but for what `kept`
    names: every run builds from nothing, whatever a previous run left."""
    from lakehouse.local import crm, metastore

    home.mkdir(parents=True, exist_ok=True)
    # a server left by an earlier command would hold the port over the emptied folder
    metastore.stop(home)
    crm.remove(home)  # its data folder sits outside the lakehouse
    for entry in home.iterdir():
        if entry.name in kept:
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()
