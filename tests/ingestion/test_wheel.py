"""`make wheel`: the job library with domain.yml and the contracts as package data, usable
from the zipped wheel alone (as Glue's --extra-py-files imports it)."""

import shutil
import subprocess
import sys
import zipfile

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
