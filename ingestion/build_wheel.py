"""Builds the job library's wheel for Glue's `--extra-py-files`:
dist/lakehouse_jobs-<version>-py3-none-any.whl

The wheel carries, as package data, domain.yml and every contract (the dbt source YAMLs), so
a job on Glue, where there is no checkout, finds them where `paths`/`contracts` fall back to.
Job scripts are not in the wheel: Glue runs each one as its own script.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import re
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "ingestion" / "src" / "lakehouse_jobs"
SOURCES = "models/*/staging/*/_*__sources.yml"

WHEEL = """\
Wheel-Version: 1.0
Generator: lakehouse build_wheel
Root-Is-Purelib: true
Tag: py3-none-any
"""
METADATA = """\
Metadata-Version: 2.1
Name: lakehouse_jobs
Version: {version}
Summary: Ingestion job library of the {domain} domain (AWS Glue 5 / Spark 3.5).
Requires-Python: >=3.11
"""


def version() -> str:
    text = (PACKAGE / "__init__.py").read_text()
    return re.search(r'__version__ = "([^"]+)"', text).group(1)


def package_files() -> dict[str, bytes]:
    """Archive name -> content: the package, domain.yml and the contracts as package data."""
    files = {
        f"lakehouse_jobs/{p.relative_to(PACKAGE)}": p.read_bytes()
        for p in sorted(PACKAGE.rglob("*.py"))
    }
    files["lakehouse_jobs/domain.yml"] = (ROOT / "domain.yml").read_bytes()
    for source in sorted(ROOT.glob(SOURCES)):
        files[f"lakehouse_jobs/contracts/{source.relative_to(ROOT)}"] = source.read_bytes()
    return files


def _record_line(name: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def build(out: Path) -> Path:
    """Writes the wheel directly (a zip with METADATA, WHEEL and RECORD): pure Python, so no
    build backend is needed, and the same sources give the same bytes."""
    out.mkdir(parents=True, exist_ok=True)
    wheel = out / f"lakehouse_jobs-{version()}-py3-none-any.whl"
    dist_info = f"lakehouse_jobs-{version()}.dist-info"
    domain = re.search(r"^name: (\S+)", (ROOT / "domain.yml").read_text(), re.M).group(1)
    files = package_files()
    files[f"{dist_info}/METADATA"] = METADATA.format(version=version(), domain=domain).encode()
    files[f"{dist_info}/WHEEL"] = WHEEL.encode()
    record = [_record_line(name, data) for name, data in files.items()]
    files[f"{dist_info}/RECORD"] = ("\n".join([*record, f"{dist_info}/RECORD,,"]) + "\n").encode()
    partial = wheel.with_suffix(".partial")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    partial.replace(wheel)
    return wheel


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "dist")
    args = parser.parse_args(argv)
    print(build(args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
