"""The contract check (lakehouse/release/contract_check.py): a pull request that breaks a data
product's contract fails before it deploys; a compatible one, or a breaking one published as a
new model version, passes. Real dbt parses of a copy of this project, in a git repository of
its own (the base is its first commit)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from checkout import copy_dbt_project

from lakehouse.release import contract_check

CURATED = Path("models/sales/curated")
MODELS_YML = CURATED / "_curated__models.yml"
MODEL_SQL = CURATED / "order_volume_by_month.sql"


def git(project: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(project), *args], check=True, capture_output=True)


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """A copy of the dbt project, committed: HEAD is what was deployed."""
    copy = copy_dbt_project(tmp_path_factory.mktemp("contract") / "project")
    git(copy, "init", "-q")
    git(copy, "add", "-A")
    git(copy, "-c", "user.name=ci", "-c", "user.email=ci@example.com", "commit", "-qm", "deployed")
    return copy


@pytest.fixture(scope="module")
def deployed(project, tmp_path_factory) -> Path:
    """The deployed manifest's directory (what deploy.yml records), parsed once."""
    state = tmp_path_factory.mktemp("deployed")
    contract_check.parse(project, state)
    return state


@pytest.fixture
def change(project):
    """Edits of the working tree, undone after the test."""

    def edit(path: Path, old: str, new: str) -> None:
        text = (project / path).read_text()
        assert old in text, f"{path}: {old!r} not found"
        (project / path).write_text(text.replace(old, new, 1))

    yield edit
    git(project, "checkout", "-q", "--", ".")
    git(project, "clean", "-fdq")


def check(capsys, *args: str) -> tuple[int, str]:
    code = contract_check.main(list(args))
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_an_unchanged_project_passes_against_the_git_base(project, capsys):
    code, out = check(capsys, "--base", "HEAD", "--project-dir", str(project))
    assert code == 0, out
    assert "6 contracted table(s) of HEAD unbroken (6 now)" in out


def test_a_retyped_column_fails_naming_model_table_column_and_types(
    project, deployed, change, capsys
):
    change(
        MODELS_YML,
        "      - name: order_count\n        data_type: bigint",
        "      - name: order_count\n        data_type: int",
    )
    code, out = check(capsys, "--state", str(deployed), "--project-dir", str(project))
    assert code == 1, out
    assert "1 breaking change(s)" in out
    assert (
        "order_volume_by_month (table order_volume_by_month): column order_count retyped "
        "bigint -> int"
    ) in out


def test_a_renamed_column_fails(project, deployed, change, capsys):
    change(MODELS_YML, "      - name: order_count\n", "      - name: orders_placed\n")
    change(MODEL_SQL, "as order_count", "as orders_placed")
    code, out = check(capsys, "--state", str(deployed), "--project-dir", str(project))
    assert code == 1, out
    assert (
        "order_volume_by_month (table order_volume_by_month): column order_count removed or renamed"
        in out
    )


def test_an_added_column_is_compatible(project, deployed, change, capsys):
    change(
        MODELS_YML,
        "      - name: total_order_value\n",
        "      - name: largest_order_value\n        data_type: decimal(18,2)\n"
        "        description: The largest order's total price.\n"
        "      - name: total_order_value\n",
    )
    change(
        MODEL_SQL,
        "        cast(sum(total_price)",
        "        cast(max(total_price) as decimal(18, 2)) as largest_order_value,\n"
        "        cast(sum(total_price)",
    )
    code, out = check(capsys, "--state", str(deployed), "--project-dir", str(project))
    assert code == 0, out


VERSIONS = """    latest_version: 1
    versions:
      - v: 1
        defined_in: order_volume_by_month
{v1_config}      - v: 2
        columns:
          - include: all
            exclude: [order_count]
"""


@pytest.mark.parametrize(("v1_keeps_the_table", "expected"), [(True, 0), (False, 1)])
def test_a_breaking_change_as_a_new_version_passes_while_the_old_version_keeps_its_table(
    project, deployed, change, capsys, v1_keeps_the_table, expected
):
    v1_config = "        config: {alias: order_volume_by_month}\n" if v1_keeps_the_table else ""
    change(
        MODELS_YML,
        "    description: Orders placed and their value per calendar month and order status.\n",
        "    description: Orders placed and their value per calendar month and order status.\n"
        + VERSIONS.format(v1_config=v1_config),
    )
    v2 = (project / MODEL_SQL).read_text().replace("        count(*) as order_count,\n", "")
    (project / CURATED / "order_volume_by_month_v2.sql").write_text(v2)
    code, out = check(capsys, "--state", str(deployed), "--project-dir", str(project))
    assert code == expected, out
    if not v1_keeps_the_table:
        assert (
            "order_volume_by_month.v1 (table order_volume_by_month)" not in out
            and "order_volume_by_month (table order_volume_by_month): no model with an enforced "
            "contract builds the table any more"
        ) in out


def test_a_table_past_its_deprecation_date_may_go():
    def manifest(deprecation_date):
        node = {
            "resource_type": "model",
            "name": "old_product",
            "alias": "old_product",
            "original_file_path": "models/sales/curated/old_product.sql",
            "version": None,
            "config": {"contract": {"enforced": True}},
            "deprecation_date": deprecation_date,
            "columns": {"id": {"data_type": "bigint"}},
        }
        return {"nodes": {"model.lakehouse.old_product": node}}

    gone: dict = {}
    assert (
        contract_check.breaking_changes(
            contract_check.contracts(manifest("2026-01-01T00:00:00")), gone
        )
        == []
    )
    [line] = contract_check.breaking_changes(
        contract_check.contracts(manifest("2999-01-01T00:00:00")), gone
    )
    assert line.startswith("old_product (table old_product): no model with an enforced contract")


def test_data_types_compare_without_case_and_spaces():
    assert contract_check.normalised("DECIMAL(18, 2)") == contract_check.normalised("decimal(18,2)")


def test_no_deployed_manifest_is_one_line_and_exit_2(project, tmp_path, capsys):
    code, out = check(capsys, "--state", str(tmp_path), "--project-dir", str(project))
    assert code == 2
    assert (
        out.strip()
        == f"contract check: {tmp_path}/manifest.json: no such file (the deployed manifest)"
    )


def test_the_deployed_manifest_holds_the_contracts_it_is_compared_by(deployed):
    found = contract_check.contracts(json.loads((deployed / "manifest.json").read_text()))
    assert found[("sales", "order_volume_by_month")].columns == {
        "order_month": "date", "order_status": "string", "order_count": "bigint",
        "total_order_value": "decimal(18,2)",
    }  # fmt: skip
