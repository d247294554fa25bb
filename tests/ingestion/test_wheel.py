"""`make wheel`: the job library with domain.yml and the contracts as package data, usable
from the zipped wheel alone (as Glue's --extra-py-files imports it)."""

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from lakehouse_jobs import __version__
from lakehouse_jobs.contracts import load_contracts

BUILD = ["ingestion/build_wheel.py", "--out"]


def test_the_wheel_carries_the_library_domain_and_contracts(repo_root, tmp_path):
    subprocess.run([sys.executable, *BUILD, str(tmp_path)], cwd=repo_root, check=True)
    wheel = tmp_path / f"lakehouse_jobs-{__version__}-py3-none-any.whl"
    names = set(zipfile.ZipFile(wheel).namelist())
    sources = repo_root.glob("models/*/staging/*/_*__sources.yml")
    contracts = sorted(str(p.relative_to(repo_root)) for p in sources)
    assert "lakehouse_jobs/domain.yml" in names
    assert {f"lakehouse_jobs/contracts/{c}" for c in contracts} <= names
    assert {"lakehouse_jobs/config.py", "lakehouse_jobs/raw_writer.py"} <= names
    assert not any(n.startswith("ingestion/jobs") for n in names)  # scripts stay outside
    assert f"lakehouse_jobs-{__version__}.dist-info/RECORD" in names

    # away from any checkout, imported straight from the zip
    away = tmp_path / "elsewhere"
    away.mkdir()
    shutil.copy(wheel, away / wheel.name)
    code = (
        "import sys; sys.path.insert(0, sys.argv[1])\n"
        "from lakehouse_jobs import contracts, domain, paths\n"
        "assert paths.repo_root() is None\n"
        "found = sorted(c.identifier for c in contracts.load_contracts().values())\n"
        "print(domain.load_domain().abbreviation, found)\n"
    )
    done = subprocess.run(
        [sys.executable, "-S", "-c", code, str(away / wheel.name)],
        cwd=away,
        capture_output=True,
        text=True,
        check=False,
        env={"PYTHONPATH": str(next(p for p in sys.path if p.endswith("site-packages")))},
    )
    assert done.returncode == 0, done.stderr
    expected = sorted(c.identifier for c in load_contracts().values())
    assert done.stdout.strip() == f"cmr {expected}"


# what the lineage client zip leaves to Glue 5's own Python packages
GLUE_PACKAGES = (
    "requests", "urllib3", "certifi", "charset_normalizer", "dateutil", "six.py", "yaml",
    "packaging",
)  # fmt: skip


def test_a_job_sends_its_lineage_with_the_wheel_the_client_zip_and_glues_packages(
    repo_root, tmp_path
):
    """As on Glue: the job library's wheel and lineage-client.zip on the path (zips, imported
    as --extra-py-files are), the packages Glue ships beside them, nothing else installed."""
    subprocess.run([sys.executable, *BUILD, str(tmp_path)], cwd=repo_root, check=True)
    site = Path(next(p for p in sys.path if p.endswith("site-packages")))
    glue = tmp_path / "glue-site-packages"
    glue.mkdir()
    for name in GLUE_PACKAGES:
        (glue / name).symlink_to(site / name)
    away = tmp_path / "elsewhere"
    away.mkdir()
    code = (
        "import sys; sys.path[:0] = sys.argv[1:]\n"
        "from lakehouse_jobs.config import Config\n"
        "from lakehouse_jobs.lifecycle import JobRun\n"
        "with JobRun('sales-ingest-erp', 'b1', Config({'LINEAGE_EVENTS_FILE': ''})):\n"
        "    pass\n"
        "import openlineage; print(openlineage.__file__)\n"
    )
    paths = [tmp_path / f"lakehouse_jobs-{__version__}-py3-none-any.whl"]
    paths += [tmp_path / "lineage-client.zip", glue]
    done = subprocess.run(
        [sys.executable, "-S", "-c", code, *map(str, paths)],
        cwd=away, capture_output=True, text=True, check=False, env={},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().startswith(str(tmp_path / "lineage-client.zip"))
    events = [json.loads(line) for line in done.stderr.splitlines() if '"eventType"' in line]
    events = [e for e in events if "eventTime" in e]  # the console transport's lines
    assert [e["eventType"] for e in events] == ["START", "COMPLETE"], done.stderr
    assert {e["job"]["name"] for e in events} == {"sales-ingest-erp"}
    assert "not built" not in done.stderr and "not sent" not in done.stderr
