"""`make ingest` (python -m lakehouse.local.ingestion): which batches and jobs it runs, and its
one-line refusals. The runs themselves are in tests/models/test_runbooks.py (a backfill, the
CRM after a rotation)."""

from pathlib import Path

import pytest

from lakehouse.local import ingestion

ROOT = Path(__file__).resolve().parents[2]
ERP = ROOT / "ingestion/jobs/sales/ingest_erp_files.py"
SCM = ROOT / "ingestion/jobs/supply/ingest_scm_files.py"
CRM = ROOT / "ingestion/jobs/customers/ingest_crm_customers.py"


@pytest.fixture
def home(tmp_path, monkeypatch):
    """A lakehouse that landed 1998-08-01 and archived 1998-07-30 and 1998-07-31."""
    for folder in (
        "landing/sales/erp/1998-08-01",
        "archive/sales/erp/1998-07-31",
        "archive/supply/scm/1998-07-30",
        "archive/sales/erp/1998-07-30",
    ):
        (tmp_path / folder).mkdir(parents=True)
    monkeypatch.setenv("LAKEHOUSE_DIR", str(tmp_path))
    return tmp_path


def test_a_range_takes_the_batches_delivered_landed_or_archived_oldest_first(home):
    assert ingestion.delivered_batches(home) == ["1998-07-30", "1998-07-31", "1998-08-01"]
    assert ingestion.chosen_batches(home, [], "1998-07-31", "1998-08-02") == [
        "1998-07-31",
        "1998-08-01",
    ]
    named = ["1998-08-01", "1998-07-30", "1998-08-01"]
    assert ingestion.chosen_batches(home, named, None, None) == ["1998-07-30", "1998-08-01"]


def test_a_file_job_runs_where_its_source_delivered_a_database_job_in_every_batch(home):
    assert ingestion.runs_in_batch(ERP, home, "1998-07-31")  # archived only: a replay
    assert not ingestion.runs_in_batch(SCM, home, "1998-07-31")
    assert ingestion.runs_in_batch(CRM, home, "1998-07-31")
    assert [ingestion.reads_a_database(s) for s in (ERP, SCM, CRM)] == [False, False, True]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--project", "inventory", "1998-08-01"], "error: no project inventory (projects: "),
        ([], "error: name the batches, or a range with --from and --to"),
        (["1998-08-01", "--from", "1998-07-30"], "error: name the batches, or a range"),
        (["--from", "1999-01-01", "--to", "1999-12-31"], "error: no batch from 1999-01-01 to "),
    ],
)
def test_a_wrong_command_is_refused_in_one_line(home, argv, message, capsys):
    assert ingestion.main(argv) == 2
    error = capsys.readouterr().err
    assert error.startswith(message) and error.count("\n") == 1, error


def test_the_crm_job_needs_the_lakehouse_crm_which_make_run_creates(home, capsys):
    assert ingestion.main(["--project", "customers", "1998-08-01"]) == 1
    assert capsys.readouterr().err == (
        "error: the local CRM does not exist yet: `make run` creates it\n"
    )
