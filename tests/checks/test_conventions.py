"""The project's structure conventions hold on the real tree (dbt parse -> manifest.json)."""

from lakehouse.checks.conventions import check_manifest, parse_manifest


def test_the_project_follows_every_convention(repo_root, tmp_path, monkeypatch):
    monkeypatch.setenv("DBT_PROFILES_DIR", str(repo_root / "profiles"))
    manifest = parse_manifest(repo_root, tmp_path)
    assert any(n["resource_type"] == "model" for n in manifest["nodes"].values())
    violations = check_manifest(manifest, repo_root)
    assert not violations, "convention violations:\n" + "\n".join(map(str, violations))
