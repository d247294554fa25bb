"""Where things are: the repository checkout, the domain file and the local lakehouse folder."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

DOMAIN_FILE = "domain.yml"


@cache
def repo_root() -> Path | None:
    """The checkout holding domain.yml, or None when running from the wheel (e.g. on Glue)."""
    starts = [Path.cwd(), Path(__file__).resolve().parent]
    for start in starts:
        for folder in (start, *start.parents):
            if (folder / DOMAIN_FILE).is_file() and (folder / "dbt_project.yml").is_file():
                return folder
    return None


def packaged(name: str):
    """A data file packaged in the wheel; readable even when Glue imports the wheel as a zip."""
    from importlib.resources import files

    return files("lakehouse_jobs") / name


def domain_file():
    """domain.yml: $DOMAIN_CONFIG, else the checkout's, else the copy packaged in the wheel
    (a Path, or an importlib Traversable inside the wheel: both have read_text)."""
    if os.environ.get("DOMAIN_CONFIG"):
        return Path(os.environ["DOMAIN_CONFIG"])
    root = repo_root()
    if root is not None:
        return root / DOMAIN_FILE
    return packaged(DOMAIN_FILE)


def lakehouse_dir() -> Path:
    """The embedded lakehouse's folder: $LAKEHOUSE_DIR, else `.lakehouse` in the checkout."""
    if os.environ.get("LAKEHOUSE_DIR"):
        return Path(os.environ["LAKEHOUSE_DIR"]).absolute()
    root = repo_root()
    if root is None:
        raise RuntimeError("no checkout (domain.yml + dbt_project.yml) and LAKEHOUSE_DIR unset")
    return root / ".lakehouse"


def metastore_port(home: Path) -> int:
    """The local lakehouse's metastore port: $LAKEHOUSE_METASTORE_PORT, else one derived from
    the folder, so that lakehouses side by side (tests, parity, bench) never share a server."""
    import hashlib

    if os.environ.get("LAKEHOUSE_METASTORE_PORT"):
        return int(os.environ["LAKEHOUSE_METASTORE_PORT"])
    digest = hashlib.md5(str(Path(home).resolve()).encode(), usedforsecurity=False).hexdigest()
    return 21000 + int(digest[:4], 16) % 9000
