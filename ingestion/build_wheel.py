"""Builds the job library's wheel for Glue's `--extra-py-files`:
dist/lakehouse_jobs-<version>-py3-none-any.whl

The wheel carries, as package data, domain.yml and every contract (the dbt source YAMLs), so
a job on Glue, where there is no checkout, finds them where `paths`/`contracts` fall back to.
Job scripts are not in the wheel: Glue runs each one as its own script.

Beside it, dist/lineage-client.zip: openlineage-python and the pure-Python packages it needs
that Glue 5 does not ship, taken from this environment's pinned install, for the jobs'
`--extra-py-files` (their VPC cannot reach PyPI; docs/lineage.md).
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


# openlineage-python and what it imports that Glue 5 lacks; Glue's own requests, urllib3,
# certifi, charset-normalizer, python-dateutil, six, PyYAML and packaging serve the rest
# (charset-normalizer and PyYAML carry compiled modules, which a zip cannot import)
LINEAGE_CLIENT = (
    "openlineage-python", "attrs", "httpx2", "httpcore2", "h11", "anyio", "truststore", "idna",
    "typing_extensions",
)  # fmt: skip
LINEAGE_CLIENT_ZIP = "lineage-client.zip"
NAMESPACE_INIT = b"__path__ = __import__('pkgutil').extend_path(__path__, __name__)\n"


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


def lineage_client_files() -> dict[str, bytes]:
    """Archive name -> content: each distribution's installed files, as site-packages holds them
    (packages and dist-info), without bytecode and scripts."""
    from importlib.metadata import distribution

    files = {}
    for name in LINEAGE_CLIENT:
        for file in distribution(name).files or []:
            if file.parts[0] == ".." or "__pycache__" in file.parts or file.suffix == ".pyc":
                continue
            files[file.as_posix()] = file.read_binary()
    # zipimport finds no implicit namespace package (openlineage/ has no __init__.py): a
    # pkgutil-style one imports the same from the zip
    for folder in {name.split("/")[0] for name in files if name.count("/") > 1}:
        if not folder.endswith(".dist-info") and f"{folder}/__init__.py" not in files:
            files[f"{folder}/__init__.py"] = NAMESPACE_INIT
    return dict(sorted(files.items()))


def lineage_client_pin() -> str:
    """pyproject.toml's openlineage-python pin: what to install before building the zip."""
    import tomllib

    dependencies = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    return next(d for d in dependencies if d.startswith(f"{LINEAGE_CLIENT[0]}=="))


def build_lineage_client(out: Path) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    return _write_zip(out / LINEAGE_CLIENT_ZIP, lineage_client_files())


def _write_zip(path: Path, files: dict[str, bytes]) -> Path:
    """The same files give the same bytes (fixed dates and modes); written whole or not at all."""
    partial = path.with_suffix(".partial")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    partial.replace(path)
    return path


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
    return _write_zip(wheel, files)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "dist")
    parser.add_argument(
        "--lineage-pin", action="store_true", help="print the openlineage-python pin and stop"
    )
    args = parser.parse_args(argv)
    if args.lineage_pin:
        print(lineage_client_pin())
        return 0
    print(build(args.out))
    print(build_lineage_client(args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
