"""File ingestion on local Spark: contract checks, quarantine, threshold, drift, idempotent
batches, real line numbers, bad files. Each test writes to its own raw database."""

import uuid

import pytest
from lakehouse_jobs.config import Config
from lakehouse_jobs.contracts import Contract, contract_for
from lakehouse_jobs.errors import LandingFileError, RejectThresholdExceeded, SchemaDriftError
from lakehouse_jobs.file_job import batch_path, ingest_file, run_file_ingestion

pytestmark = pytest.mark.integration

ORDERS = contract_for("erp", "orders")
HEADER = ",".join(c.name for c in ORDERS.landing_columns)
GOOD = [
    "1010,1,O,100.00,1996-01-02,5-LOW,Clerk#1,0,",  # an empty optional last field is fine
    '1011,1,O,100.00,1996-01-02,5-LOW,Clerk#1,0,"quoted, with a comma"',
]
# (line, expected reason) for each bad line, in file order after the good ones
BAD = [
    ("1001,1,O,100.00,1996-01-02,5-LOW,Clerk#1,0", "wrong field count: expected 9, found 8"),
    (
        '1002,1,O,100.00,1996-01-02,5-LOW,Clerk#1,0,"c",extra',
        "wrong field count: expected 9, found 10",
    ),
    (
        '1003,1,O,abc,1996-01-02,5-LOW,Clerk#1,0,"c"',
        "o_totalprice: 'abc' is not a valid decimal(15,2)",
    ),
    (
        '1004,1,O,100.00,1996-02-30,5-LOW,Clerk#1,0,"c"',
        "o_orderdate: '1996-02-30' is not a valid date",
    ),
    (',1,O,100.00,1996-01-02,5-LOW,Clerk#1,0,"c"', "o_orderkey: missing (not_null)"),
    (
        '1006,1,X,100.00,1996-01-02,5-LOW,Clerk#1,0,"c"',
        "o_orderstatus: 'X' not in accepted values [F, O, P]",
    ),
    ("", "wrong field count: expected 9, found 0"),
    (
        '1008,1,O,100.001,1996-01-02,5-LOW,Clerk#1,0,"c"',
        "o_totalprice: '100.001' is not a valid decimal(15,2)",
    ),
    ('1009,1.5,O,100.00,1996-01-02,5-LOW,Clerk#1,0,"c"', "o_custkey: '1.5' is not a valid bigint"),
]


@pytest.fixture
def setup(lakehouse, tmp_path):
    """A config of its own (raw database and folders) and a way to land a batch file."""
    config = Config(
        {
            "RAW_DATABASE": f"itest_{uuid.uuid4().hex[:8]}",
            "RAW_ROOT": str(tmp_path / "raw"),
            "LANDING_ROOT": str(tmp_path / "landing"),
            "ARCHIVE_ROOT": str(tmp_path / "archive"),
            "MAX_REJECT_RATIO": "0.5",
        }
    )

    def land(batch: str, lines: list[str], contract: Contract = ORDERS, raw: bytes | None = None):
        path = batch_path(config.get("LANDING_ROOT"), contract, batch)
        from pathlib import Path

        Path(path).parent.mkdir(parents=True, exist_ok=True)
        Path(path).write_bytes(raw if raw is not None else ("\n".join(lines) + "\n").encode())
        return path

    return lakehouse.spark, config, land


def real_orders(lakehouse, n: int) -> list[str]:
    with open(lakehouse.generated / "orders.csv") as f:
        return [next(f).rstrip("\n") for _ in range(n + 1)][1:]


def counts(spark, config, table="sales__orders", batch=None):
    where = f" where _batch_id = '{batch}'" if batch else ""
    db = config.get("RAW_DATABASE")
    raw = spark.sql(f"select count(*) from {db}.{table}{where}").first()[0]
    quarantined = spark.sql(f"select count(*) from {db}.{table}__quarantine{where}").first()[0]
    return raw, quarantined


def test_bad_rows_go_to_quarantine_with_reason_line_and_text(lakehouse, setup):
    spark, config, land = setup
    good = real_orders(lakehouse, 20) + GOOD
    land("2024-01-01", [HEADER, *good, *[line for line, _ in BAD]])
    result, tables, archived = ingest_file(spark, ORDERS, "2024-01-01", config, str(uuid.uuid4()))
    assert (result.rows, result.written, result.rejected) == (31, 22, 9)
    assert counts(spark, config) == (22, 9)
    rejected = spark.sql(
        f"select _source_row, _raw_record, _reject_reason, _source_file from {tables.quarantine} "
        "order by _source_row"
    ).collect()
    first_bad_line = 1 + len(good) + 1  # header, good rows, then the bad ones
    assert [(r[0], r[1], r[2]) for r in rejected] == [
        (first_bad_line + i, line, reason) for i, (line, reason) in enumerate(BAD)
    ]
    assert {r[3] for r in rejected} == {archived} and archived.endswith(
        "archive/sales/erp/2024-01-01/orders.csv"
    )
    typed = spark.sql(
        f"select * from {tables.raw} where o_orderkey in (1010, 1011) order by 1"
    ).collect()
    assert [r["o_comment"] for r in typed] == [None, "quoted, with a comma"]
    assert (
        str(typed[0]["o_totalprice"]) == "100.00" and str(typed[0]["o_orderdate"]) == "1996-01-02"
    )


def test_rerunning_a_batch_replaces_it_and_later_batches_append(lakehouse, setup):
    spark, config, land = setup
    orders = real_orders(lakehouse, 50)
    land("2024-01-01", [HEADER, *orders[:30], BAD[0][0]])
    ingest_file(spark, ORDERS, "2024-01-01", config, "run-1")
    assert counts(spark, config) == (30, 1)
    # replay from the archive (the landing file was moved there), then a corrected re-delivery
    ingest_file(spark, ORDERS, "2024-01-01", config, "run-2")
    assert counts(spark, config) == (30, 1)
    land("2024-01-01", [HEADER, *orders[:31]])
    ingest_file(spark, ORDERS, "2024-01-01", config, "run-3")
    assert counts(spark, config) == (31, 0)
    land("2024-01-02", [HEADER, *orders[31:]])
    ingest_file(spark, ORDERS, "2024-01-02", config, "run-4")
    assert counts(spark, config, batch="2024-01-02") == (19, 0)
    assert counts(spark, config) == (50, 0)
    keys = spark.sql(
        f"select count(distinct o_orderkey) from {config.get('RAW_DATABASE')}.sales__orders"
    )
    assert keys.first()[0] == 50
    # only the current run's folder is left for each batch
    raw_root = f"{config.get('RAW_ROOT')}/sales/sales__orders"
    from pathlib import Path

    assert sorted(p.name for p in Path(raw_root, "_batch_id=2024-01-01").iterdir()) == [
        "_run=run-3"
    ]


def test_a_reject_ratio_over_the_threshold_fails_and_writes_nothing(lakehouse, setup):
    spark, config, land = setup
    orders = real_orders(lakehouse, 10)
    land("2024-01-01", [HEADER, *orders])
    ingest_file(spark, ORDERS, "2024-01-01", config, "run-1")
    land("2024-01-01", [HEADER, *orders[:5], *[line for line, _ in BAD]])
    strict = config.with_overrides(MAX_REJECT_RATIO="0.2")
    with pytest.raises(RejectThresholdExceeded) as failed:
        ingest_file(spark, ORDERS, "2024-01-01", strict, "run-2")
    message = str(failed.value)
    assert "9 of 14 rows break the contract (64.3% > MAX_REJECT_RATIO 20.0%)" in message
    assert "nothing was written" in message and "wrong field count" in message
    assert counts(spark, config) == (10, 0)  # the previous version of the batch is intact


def test_schema_drift_stops_before_writing_and_names_the_columns(lakehouse, setup):
    spark, config, land = setup
    drifted = HEADER.replace("o_clerk", "o_clerk_name") + ",o_channel"
    land("2024-01-01", [drifted, *[line + ",web" for line in real_orders(lakehouse, 3)]])
    with pytest.raises(SchemaDriftError) as drift:
        ingest_file(spark, ORDERS, "2024-01-01", config, "run-1")
    message = str(drift.value)
    assert "missing ['o_clerk']" in message and "new ['o_clerk_name', 'o_channel']" in message
    assert not spark.catalog.tableExists(f"{config.get('RAW_DATABASE')}.sales__orders")


def test_missing_empty_and_badly_encoded_files_are_clear_errors(lakehouse, setup):
    spark, config, land = setup
    missing = r"batch 2024-01-01 is missing: neither .*orders\.csv"
    with pytest.raises(LandingFileError, match=missing):
        ingest_file(spark, ORDERS, "2024-01-01", config, "r")
    land("2024-01-02", [], raw=b"")
    with pytest.raises(LandingFileError, match=r"is empty \(0 bytes\)"):
        ingest_file(spark, ORDERS, "2024-01-02", config, "r")
    latin1 = (
        "\n".join(
            [HEADER, *real_orders(lakehouse, 2), '7,1,O,1.00,1996-01-02,5-LOW,Clerk,0,"caf\xe9"']
        )
        + "\n"
    )
    land("2024-01-03", [], raw=latin1.encode("latin-1"))
    with pytest.raises(LandingFileError, match="line 4 is not valid UTF-8"):
        ingest_file(spark, ORDERS, "2024-01-03", config, "r")


def test_a_failing_job_exits_non_zero(lakehouse, setup, monkeypatch):
    _, config, _ = setup
    for key in ("RAW_DATABASE", "RAW_ROOT", "LANDING_ROOT", "ARCHIVE_ROOT"):
        monkeypatch.setenv(f"CMR_{key}", config.get(key))
    assert run_file_ingestion("sales", "erp", ["--BATCH_ID", "2099-01-01"]) == 1


def test_row_numbers_are_file_lines_across_many_splits(lakehouse, setup):
    spark, config, land = setup
    lineitem = contract_for("erp", "lineitem")
    lines = (lakehouse.generated / "lineitem.csv").read_text().splitlines()[:20001]
    land("2024-01-01", lines, contract=lineitem)
    spark.conf.set("spark.sql.files.maxPartitionBytes", "262144")  # ~10 splits
    try:
        result, tables, _ = ingest_file(spark, lineitem, "2024-01-01", config, "r")
    finally:
        spark.conf.unset("spark.sql.files.maxPartitionBytes")
    assert result.rows == 20000 and result.rejected == 0
    got = spark.sql(f"select _source_row, l_orderkey, l_linenumber from {tables.raw}").collect()
    expected = {
        n: tuple(int(v) for v in line.split(",")[0:4:3]) for n, line in enumerate(lines, 1) if n > 1
    }
    assert {r[0]: (r[1], r[2]) for r in got} == expected


def test_tbl_files_as_tpchgen_writes_them(lakehouse, setup):
    spark, config, land = setup
    region = contract_for("geo", "region")
    tbl = Contract(**{**region.__dict__, "landing": {"file": "region.tbl", "format": "tbl"}})
    land(
        "2024-01-01",
        [
            "0|AFRICA|lar deposits|",
            "1|AMERICA|hs use ironic, even requests|",
            "2|ATLANTIS|sunk|",
            "3|ASIA|",
        ],
        contract=tbl,
    )
    result, tables, _ = ingest_file(spark, tbl, "2024-01-01", config, "r")
    assert (result.written, result.rejected) == (2, 2)
    reasons = spark.sql(
        f"select _source_row, _reject_reason from {tables.quarantine} order by 1"
    ).collect()
    assert [tuple(r) for r in reasons] == [
        (
            3,
            "r_name: 'ATLANTIS' not in accepted values "
            "[AFRICA, AMERICA, ASIA, EUROPE, MIDDLE EAST]",
        ),
        (4, "wrong field count: expected 3, found 2"),
    ]
    assert spark.sql(f"select r_comment from {tables.raw} where r_regionkey = 1").first()[0] == (
        "hs use ironic, even requests"
    )
