"""What the gate last published, so that a daily build builds only what changed since.

A build publishes the data of its sources as they were when it checked their freshness, built
by the code of its manifest. Kept per scope (the domain, or one project) in a folder:

    <root>/<scope>/published/  manifest.json, sources.json   of the last publish
    <root>/<scope>/pending/    the same, of the build waiting to be published

The next build of the scope selects, within its stage, what is downstream of a source fresher
than at the last publish (`source_status:fresher+`: its models, snapshots and data tests) and
what the code changed (`state:modified+`, unit tests included); everything else is exactly as
published and tested. No published state (a first build), a full refresh, or a build narrowed
by hand builds the stage whole, and only a whole build records what it published.

The domain's schedule runs a project's stages as separate builds (upstream, curated, publish):
the upstream stage keeps its freshness check in `pending/`, the curated stage selects against
it, and the publish stage makes `pending/` the published state.

Standard library only: the scheduled pipeline runs it from the dbt bundle (lakehouse.gate).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

FILES = ("manifest.json", "sources.json")

# Unit tests check logic on fixed inputs: a change of data never calls for them, a change of
# code does (state:modified+ selects them).
CHANGED_DATA = tuple(
    f"source_status:fresher+,resource_type:{kind}" for kind in ("model", "snapshot", "test")
)
CHANGED_CODE = ("state:modified+",)


class PublishedState:
    def __init__(self, root: str | os.PathLike, scope: str, target: str | os.PathLike) -> None:
        self.published = Path(root) / scope / "published"
        self.pending = Path(root) / scope / "pending"
        self.target = Path(target)  # dbt's target folder: its manifest.json and sources.json

    def selectors(self) -> list[str] | None:
        """What a daily build of a stage needs (a union of dbt selectors), or None to build the
        stage whole: nothing published yet, or no freshness checked for this build."""
        ready = all((self.published / name).exists() for name in FILES)
        if not ready or not (self.target / "sources.json").exists():
            return None
        return [*CHANGED_DATA, *CHANGED_CODE]

    def state_args(self) -> list[str]:
        return ["--state", str(self.published)]

    def keep_checked_sources(self) -> None:
        """After the freshness check: these are the sources the build will publish (none when
        the check wrote no results: the build then selects nothing by freshness, and builds its
        stage whole)."""
        checked = self.target / "sources.json"
        if checked.exists():
            self._copy(checked, self.pending)
        else:
            (self.pending / "sources.json").unlink(missing_ok=True)

    def use_checked_sources(self) -> None:
        """A later stage of the same build, run apart: select against its freshness check."""
        kept = self.pending / "sources.json"
        if kept.exists():
            self._copy(kept, self.target)

    def keep_manifest(self) -> None:
        """After a build: the code it built."""
        self._copy(self.target / "manifest.json", self.pending)

    def publish(self) -> None:
        """The pending state is now what is published (one rename, never half a state)."""
        if not all((self.pending / name).exists() for name in FILES):
            return
        previous = self.published.with_name("published.previous")
        shutil.rmtree(previous, ignore_errors=True)
        if self.published.exists():
            self.published.rename(previous)
        shutil.copytree(self.pending, self.published)
        shutil.rmtree(previous, ignore_errors=True)

    @staticmethod
    def _copy(source: Path, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        partial = folder / f".{source.name}.partial"
        shutil.copyfile(source, partial)
        partial.replace(folder / source.name)
