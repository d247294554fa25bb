"""The deploy matrix is discovered from the folders of models/ (lakehouse/projects.py): every
project is covered, changes map to the right projects, removed projects are destroyed."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from checkout import ROOT

PROJECT_FOLDERS = ("models", "ingestion/jobs")

GIT_ENV = {
    "GIT_AUTHOR_NAME": "ci-test",
    "GIT_AUTHOR_EMAIL": "ci-test@example.com",
    "GIT_COMMITTER_NAME": "ci-test",
    "GIT_COMMITTER_EMAIL": "ci-test@example.com",
}


def folders(path: Path) -> set[str]:
    return {p.name for p in path.iterdir() if p.is_dir()} if path.is_dir() else set()


def test_every_project_folder_is_covered_by_the_matrix(projects_script):
    discovered = set(projects_script.projects(ROOT))
    assert discovered, "no project found under models/"
    assert "shared" not in discovered
    code_folders = (folders(ROOT / "models") - {"shared"}) | folders(ROOT / "ingestion" / "jobs")
    uncovered = sorted(code_folders - discovered)
    assert not uncovered, (
        f"{uncovered} have ingestion/jobs/ but no models/<name>: the deployment would never "
        "ship them"
    )
    assert discovered == set(projects_script.plan(ROOT, "")["deploy"])


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """A scratch git repository with three projects (a, b, c), the project root and shared
    code (models/shared/ is no project)."""
    for key, value in GIT_ENV.items():
        monkeypatch.setenv(key, value)
    for project in ("a", "b", "c", "shared"):
        for folder in PROJECT_FOLDERS:
            (tmp_path / folder / project).mkdir(parents=True)
            (tmp_path / folder / project / "main.txt").write_text(project)
    (tmp_path / "terraform/project").mkdir(parents=True)
    (tmp_path / "terraform/project/main.tf").write_text("# the root of every project")
    (tmp_path / "macros").mkdir()
    (tmp_path / "macros/m.sql").write_text("select 1")
    git(tmp_path, "init", "-q")
    commit(tmp_path, "base")
    return tmp_path


def git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=root, check=True, capture_output=True, text=True
    ).stdout.strip()


def commit(root: Path, message: str) -> str:
    git(root, "add", "-A")
    git(root, "commit", "-q", "--allow-empty", "-m", message)
    return git(root, "rev-parse", "HEAD")


def test_unknown_base_deploys_every_project(projects_script, repo):
    for base in ("", "0" * 40, "1234567890abcdef1234567890abcdef12345678"):
        assert projects_script.plan(repo, base) == {
            "all": ["a", "b", "c"],
            "deploy": ["a", "b", "c"],
            "destroy": [],
        }


def test_a_change_in_a_project_folder_deploys_that_project_only(projects_script, repo):
    base = git(repo, "rev-parse", "HEAD")
    (repo / "models/b/new_model.sql").write_text("select 2")
    (repo / "ingestion/jobs/c/job.py").write_text("print(3)")
    commit(repo, "b and c")
    assert projects_script.plan(repo, base)["deploy"] == ["b", "c"]


def test_a_change_in_shared_code_deploys_every_project(projects_script, repo):
    base = git(repo, "rev-parse", "HEAD")
    (repo / "macros/m.sql").write_text("select 42")
    commit(repo, "shared macro")
    assert projects_script.plan(repo, base)["deploy"] == ["a", "b", "c"]


def test_a_change_in_the_project_root_deploys_every_project(projects_script, repo):
    base = git(repo, "rev-parse", "HEAD")
    (repo / "terraform/project/main.tf").write_text("# changed")
    commit(repo, "project root")
    assert projects_script.plan(repo, base)["deploy"] == ["a", "b", "c"]


def test_a_removed_project_is_destroyed_and_not_deployed(projects_script, repo):
    base = git(repo, "rev-parse", "HEAD")
    for folder in PROJECT_FOLDERS:
        shutil.rmtree(repo / folder / "a")
    commit(repo, "remove a")
    assert projects_script.plan(repo, base) == {"all": ["b", "c"], "deploy": [], "destroy": ["a"]}


def test_a_project_is_destroyed_when_its_models_folder_is_gone(projects_script, repo):
    """models/<project>/ is what makes a project; its jobs alone do not keep it deployed."""
    base = git(repo, "rev-parse", "HEAD")
    shutil.rmtree(repo / "models" / "b")
    shutil.rmtree(repo / "ingestion/jobs" / "c")
    commit(repo, "remove b's models, c's jobs")
    assert projects_script.plan(repo, base) == {
        "all": ["a", "c"],
        "deploy": ["c"],
        "destroy": ["b"],
    }


def test_a_base_without_models_destroys_nothing(projects_script, repo):
    empty_tree = git(repo, "hash-object", "-t", "tree", "-w", "/dev/null")
    base = git(repo, "commit-tree", "-m", "before models/", empty_tree)
    assert projects_script.plan(repo, base)["destroy"] == []


def test_no_change_deploys_nothing(projects_script, repo):
    base = git(repo, "rev-parse", "HEAD")
    commit(repo, "empty")
    assert projects_script.plan(repo, base) == {"all": ["a", "b", "c"], "deploy": [], "destroy": []}


def test_the_script_writes_github_outputs(repo, tmp_path_factory):
    """Run as the workflow runs it: a copy of the script inside the checkout (with the
    discovery it imports, lakehouse/projects.py), nothing installed, GITHUB_OUTPUT set."""
    script = repo / ".github" / "scripts" / "projects.py"
    script.parent.mkdir(parents=True)
    shutil.copy(ROOT / ".github" / "scripts" / "projects.py", script)
    (repo / "lakehouse").mkdir()
    for name in ("__init__.py", "projects.py"):
        shutil.copy(ROOT / "lakehouse" / name, repo / "lakehouse" / name)
    output = tmp_path_factory.mktemp("gh") / "output"
    subprocess.run(
        [sys.executable, str(script), "--base", ""],
        cwd=repo,
        check=True,
        env={"PATH": "/usr/bin:/bin", "GITHUB_OUTPUT": str(output), "PYTHONNOUSERSITE": "1"},
    )
    assert output.read_text().splitlines() == [
        'all=["a", "b", "c"]',
        'deploy=["a", "b", "c"]',
        "destroy=[]",
    ]
