"""Sample data: TPC-H tables generated with tpchgen-cli, dropped into the landing zone."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from lakehouse_jobs.contracts import load_contracts

TABLES = ("customer", "lineitem", "nation", "orders", "part", "partsupp", "region", "supplier")


def generate(scale_factor: str, out: Path) -> Path:
    """TPC-H CSV files of one scale factor, generated once and kept."""
    folder = out / f"sf{scale_factor}"
    if all((folder / f"{t}.csv").exists() for t in TABLES):
        return folder
    partial = folder.with_name(folder.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    tpchgen = Path(sys.executable).parent / "tpchgen-cli"
    subprocess.run(
        [str(tpchgen), "csv", "-s", str(scale_factor), "--output-dir", str(partial)], check=True
    )
    shutil.rmtree(folder, ignore_errors=True)
    partial.replace(folder)
    return folder


def land(generated: Path, landing: Path, batch_id: str) -> list[Path]:
    """Copies each contracted file into landing/<project>/<source>/<batch>/, as a source would."""
    landed = []
    for contract in load_contracts().values():
        name = contract.landing.get("file")
        if not name or not (generated / name).exists():
            continue
        target = landing / contract.project / contract.source / batch_id / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(generated / name, target)
        landed.append(target)
    return landed
