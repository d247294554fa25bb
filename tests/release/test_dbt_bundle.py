"""The dbt bundle the scheduled pipeline runs (lakehouse/release/dbt_bundle.py). That dbt
resolves the project from it with CodeBuild's command and environment is
tests/terraform/test_moto_apply.py's."""

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
    # run log and the job library's metrics it shares
    gate = {
        "lakehouse/__init__.py", "lakehouse/host_name.py", "lakehouse/gate.py",
        "lakehouse/ast_guard.py", "lakehouse/run_log.py",
        "lakehouse_jobs/__init__.py", "lakehouse_jobs/metrics.py",
    }  # fmt: skip
    assert {n for n in names if n.endswith(".py")} == gate
    assert not [n for n in names - gate if n.startswith(("ingestion/", "lakehouse/", "terraform/"))]


def test_requirements_are_the_pinned_dbt_set_without_spark(bundle):
    requirements = zipfile.ZipFile(bundle).read("requirements-dbt.txt").decode().split()
    assert "dbt-glue==1.10.19" in requirements
    assert any(r.startswith("dbt-core~=1.10") for r in requirements)
    assert not [r for r in requirements if "[" in r or r.startswith("pyspark")]


def test_the_bundle_is_reproducible(bundle, tmp_path):
    assert dbt_bundle.build(tmp_path / "again.zip").read_bytes() == bundle.read_bytes()


def test_a_pyproject_without_dbt_glue_is_refused(tmp_path):
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[project]\ndependencies = ["dbt-core~=1.10.0"]\n')
    with pytest.raises(ValueError, match="no dbt-glue pin"):
        dbt_bundle.dbt_requirements(pyproject)


def test_the_bundles_gate_imports_with_the_standard_library_alone(bundle, tmp_path):
    """No site-packages (python -S): what the gate, its run log and the job library's metrics
    import at start is the standard library and the bundle itself (dbt only when it runs)."""
    zipfile.ZipFile(bundle).extractall(tmp_path)
    code = "import lakehouse.gate, lakehouse.run_log as r; print(r.__file__, r.put.__module__)"
    done = subprocess.run(
        [sys.executable, "-S", "-c", code], cwd=tmp_path, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [
        str(tmp_path / "lakehouse" / "run_log.py"),
        "lakehouse_jobs.metrics",
    ]
