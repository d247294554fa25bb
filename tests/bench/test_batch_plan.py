"""The bench's batch plans (lakehouse.local.tpch): the full bench ends with a daily batch, the
scaling bench's full build alone ingests every row as its history, so its reconciliation of
raw against the generated files balances."""

from lakehouse.local import tpch

ORDERS = (
    "o_orderkey,o_custkey,o_orderstatus,o_totalprice,o_orderdate,o_orderpriority\n"
    "1,7,O,10.00,1998-07-30,1-URGENT\n"
    "2,8,O,20.00,1998-08-01,2-HIGH\n"
    "3,9,F,30.00,1998-08-02,3-MEDIUM\n"
)
LINEITEM = "l_orderkey,l_linenumber\n1,1\n2,1\n2,2\n3,1\n"


def split_lines(tmp_path, daily: int) -> tuple[tpch.BatchPlan, dict[str, dict[str, int]]]:
    (tmp_path / "orders.csv").write_text(ORDERS)
    (tmp_path / "lineitem.csv").write_text(LINEITEM)
    plan = tpch.plan(tmp_path, daily=daily)
    folder = tpch.split(tmp_path, plan)
    lines = {
        batch: {t: len((folder / batch / f"{t}.csv").read_text().splitlines()) - 1
                for t in tpch.DAILY_TABLES}
        for batch in plan.batches
    }  # fmt: skip
    return plan, lines


def test_the_full_only_plan_puts_every_row_in_the_history_batch(tmp_path):
    plan, lines = split_lines(tmp_path, daily=0)
    assert plan == tpch.BatchPlan(history="1998-08-02", daily=())
    assert lines == {"1998-08-02": {"orders": 3, "lineitem": 4}}


def test_a_daily_batch_takes_the_last_days_orders_and_their_lines(tmp_path):
    plan, lines = split_lines(tmp_path, daily=1)
    assert plan == tpch.BatchPlan(history="1998-08-01", daily=("1998-08-02",))
    assert lines == {
        "1998-08-01": {"orders": 2, "lineitem": 3},
        "1998-08-02": {"orders": 1, "lineitem": 1},
    }
