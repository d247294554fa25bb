"""The unmodified dbt-glue adapter runs a small project against glue-local, and the parity
check catches a known dbt-glue / dbt-spark difference (a backslash in a regex)."""

import re
from pathlib import Path

import pytest

from lakehouse.glue_local.client import dbt_glue
from lakehouse.parity import fingerprints

pytestmark = pytest.mark.integration

PROBE = Path(__file__).parent / "probe_project"
RELATIONS = ["probe_prices", "prices", "prices_merged", "codes_without_digits"]


@pytest.fixture(scope="module")
def probe(lakehouse, glue_local, repo_root, tmp_path_factory):
    from dbt.cli.main import dbtRunner

    home = tmp_path_factory.mktemp("probe")
    local = dbtRunner().invoke(
        [
            "build",
            "--target",
            "local",
            "--project-dir",
            str(PROBE),
            "--profiles-dir",
            str(repo_root / "profiles"),
            "--target-path",
            str(home / "local-target"),
        ]
    )
    glue_runs = []
    for _ in range(2):  # the second run merges into the incremental model
        code = dbt_glue(glue_local.url, home, "build", project_dir=PROBE)
        glue_runs.append(
            (code, fingerprints.failed_nodes(home / "dbt-target" / "run_results.json"))
        )

    def prints(schema):
        found = fingerprints.table_fingerprints(
            lakehouse.spark, [f"{schema}.{r}" for r in RELATIONS]
        )
        return {name.split(".")[1]: value for name, value in found.items()}

    return {
        "home": home,
        "local_ok": local.success,
        "glue_runs": glue_runs,
        "local": prints("probe_local"),
        "glue": prints("probe_dev"),
    }


def test_both_builds_pass_and_dbt_glue_passes_twice(probe):
    assert probe["local_ok"]
    assert probe["glue_runs"] == [(0, []), (0, [])], (probe["home"] / "dbt.log").read_text()[-3000:]


def test_the_second_dbt_glue_run_merged_into_the_incremental_model(probe):
    log = (probe["home"] / "dbt-logs" / "dbt.log").read_text()
    assert re.search(r"merge into [\w.]*prices_merged", log)


def test_seed_types_views_and_merges_agree_between_adapters(probe):
    local, glue = probe["local"], probe["glue"]
    assert glue["probe_prices"]["columns"] == {
        "price_id": "bigint",
        "code": "string",
        "price": "decimal(10,2)",
        "priced_on": "date",
    }
    assert (local["prices"]["kind"], glue["prices"]["kind"]) == ("view", "view")
    assert glue["prices_merged"]["kind"] == "iceberg"
    for name in ("probe_prices", "prices", "prices_merged"):
        assert fingerprints.compare({name: local[name]}, {name: glue[name]}) == [], name


def test_views_are_virtual_views_in_the_catalog_dbt_glue_sees(glue, probe):
    assert (
        glue.get_table(DatabaseName="probe_dev", Name="prices")["Table"]["TableType"]
        == "VIRTUAL_VIEW"
    )


def test_the_parity_check_catches_the_backslash_difference(probe, lakehouse):
    problems = fingerprints.compare(probe["local"], probe["glue"])
    assert len(problems) == 1
    assert (
        problems[0]
        == "codes_without_digits: rows differ: local 3 rows, glue 3 rows, in columns ['letters']"
    )
    rows = {
        schema: dict(
            lakehouse.rows(
                f"select code, letters from {schema}.codes_without_digits "
                f"join {schema}.probe_prices using (price_id)"
            )
        )
        for schema in ("probe_local", "probe_dev")
    }
    assert rows["probe_local"] == {"A1b2": "Ab", "C3d": "Cd", "ee": "ee"}  # '\\d' = a digit
    assert rows["probe_dev"] == {"A1b2": "A1b2", "C3d": "C3", "ee": "ee"}  # = the letter d
