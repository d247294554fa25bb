"""Puts the Apache Iceberg runtime for Spark 3.5 on disk without Maven.

The Iceberg jars come from a PyPI package; their runtime jar lacks Iceberg's relocated copy of
Jackson, which we rebuild from the Jackson jars pyspark ships, with Debian's jarjar.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from lakehouse_jobs.paths import lakehouse_dir

ICEBERG_RUNTIME = "iceberg-spark-runtime-3.5_2.12-1.10.2.jar"
JACKSON_VERSION = "2.15.2"
JACKSON_JARS = [f"jackson-{m}-{JACKSON_VERSION}.jar" for m in ("core", "databind", "annotations")]
RELOCATED_JACKSON = f"iceberg-shaded-jackson-{JACKSON_VERSION}.jar"
JARJAR = Path(os.environ.get("JARJAR_JAR", "/usr/share/java/jarjar.jar"))
JARJAR_RULE = "rule com.fasterxml.jackson.** org.apache.iceberg.shaded.com.fasterxml.jackson.@1\n"


def _package_dir(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(f"Python package {name!r} is not installed: run `make setup`.")
    return Path(next(iter(spec.submodule_search_locations)))


def jar_paths(home: Path | None = None) -> list[Path]:
    """The jars the lakehouse puts on `spark.jars`, in order."""
    jars = (home or lakehouse_dir()) / "jars"
    return [jars / ICEBERG_RUNTIME, jars / RELOCATED_JACKSON]


def _relocate_jackson(target: Path) -> None:
    if not JARJAR.exists():
        raise SystemExit(
            f"{JARJAR} is missing; it relocates Jackson for Iceberg.\n"
            "Install it with: sudo apt-get install -y libjarjar-java"
        )
    pyspark_jars = _package_dir("pyspark") / "jars"
    with tempfile.TemporaryDirectory() as tmp:
        merged = Path(tmp) / "jackson-merged.jar"
        seen: set[str] = set()
        with zipfile.ZipFile(merged, "w", zipfile.ZIP_DEFLATED) as out:
            for name in JACKSON_JARS:
                with zipfile.ZipFile(pyspark_jars / name) as jar:
                    for entry in jar.namelist():
                        if entry.startswith("META-INF") or entry in seen:
                            continue
                        seen.add(entry)
                        out.writestr(entry, jar.read(entry))
        rules = Path(tmp) / "rules.txt"
        rules.write_text(JARJAR_RULE)
        partial = target.with_suffix(".partial")
        subprocess.run(
            ["java", "-jar", str(JARJAR), "process", str(rules), str(merged), str(partial)],
            check=True,
        )
        partial.replace(target)


def ensure_jars(home: Path | None = None) -> list[Path]:
    """Creates the jars that are missing; cheap when they are already there."""
    runtime, jackson = jar_paths(home)
    runtime.parent.mkdir(parents=True, exist_ok=True)
    if not runtime.exists():
        source = _package_dir("snowpark_connect_deps_iceberg") / "jars" / ICEBERG_RUNTIME
        shutil.copyfile(source, runtime.with_suffix(".partial"))
        runtime.with_suffix(".partial").replace(runtime)
    if not jackson.exists():
        _relocate_jackson(jackson)
    return [runtime, jackson]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.parse_args(argv)
    for jar in ensure_jars():
        print(jar)
    return 0


if __name__ == "__main__":
    sys.exit(main())
