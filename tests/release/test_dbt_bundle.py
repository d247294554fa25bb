"""The dbt bundle the scheduled pipeline runs (lakehouse/release/dbt_bundle.py). That dbt
resolves the project from it with CodeBuild's command and environment is
tests/terraform/test_moto_apply.py's."""

import os
import subprocess
import sys
import zipfile

import pytest

from lakehouse.release import dbt_bundle


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    return dbt_bundle.build(tmp_path_factory.mktemp("bundle") / "dbt-project.zip")


def test_the_bundle_holds_what_dbt_reads_and_nothing_else(bundle, repo_root):
    names = set(zipfile.ZipFile(bundle).namelist())
    assert {"dbt_project.yml", "profiles/profiles.yml", "requirements-dbt.txt"} <= names
    assert "macros/adapters/glue_get_catalog.sql" in names
    models = {p.relative_to(repo_root).as_posix() for p in repo_root.glob("models/**/*.sql")}
    assert models <= names
    # the only Python: the gate the buildspec runs (python -m lakehouse.gate), its guard, its
    # lineage events and run log with the job library's modules they go through
    gate = {
        "lakehouse/__init__.py", "lakehouse/host_name.py", "lakehouse/gate.py",
        "lakehouse/published_state.py", "lakehouse/ast_guard.py", "lakehouse/dbt_lineage.py",
        "lakehouse/run_log.py", "lakehouse_jobs/__init__.py", "lakehouse_jobs/logs.py",
        "lakehouse_jobs/lineage.py", "lakehouse_jobs/metrics.py",
    }  # fmt: skip
    assert {n for n in names if n.endswith(".py")} == gate
    assert not [n for n in names - gate if n.startswith(("ingestion/", "lakehouse/", "terraform/"))]


def test_requirements_are_the_pinned_dbt_set_without_spark(bundle):
    requirements = zipfile.ZipFile(bundle).read("requirements-dbt.txt").decode().split()
    assert "dbt-glue==1.10.19" in requirements
    assert any(r.startswith("openlineage-python==") for r in requirements)
    assert any(r.startswith("dbt-core~=1.10") for r in requirements)
    assert not [r for r in requirements if "[" in r or r.startswith("pyspark")]


def test_the_gate_and_its_lineage_import_from_the_bundle_alone(bundle, tmp_path):
    """The bundle's Python needs nothing of the checkout: unzipped elsewhere, the gate, the
    lineage module it sends through and the metrics module its run log puts through import
    (with the venv's dbt and openlineage-python)."""
    zipfile.ZipFile(bundle).extractall(tmp_path)
    probe = "import lakehouse.gate, lakehouse_jobs.lineage as l, lakehouse.run_log as r; "
    probe += "print(l.__file__, r.__file__, sys.modules[r.put.__module__].__file__)"
    done = subprocess.run(
        [sys.executable, "-c", f"import sys; {probe}"], cwd=tmp_path,
        env={"PATH": os.environ["PATH"]}, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert done.stdout.split() == [
        str(tmp_path / "lakehouse_jobs" / "lineage.py"),
        str(tmp_path / "lakehouse" / "run_log.py"),
        str(tmp_path / "lakehouse_jobs" / "metrics.py"),
    ]


def test_the_bundle_is_reproducible(bundle, tmp_path):
    assert dbt_bundle.build(tmp_path / "again.zip").read_bytes() == bundle.read_bytes()


def test_a_pyproject_without_dbt_glue_is_refused(tmp_path):
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[project]\ndependencies = ["dbt-core~=1.10.0"]\n')
    with pytest.raises(ValueError, match="no dbt-glue pin"):
        dbt_bundle.dbt_requirements(pyproject)
