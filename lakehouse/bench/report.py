"""The benchmark's report: figures and ratios from the three processes' results, the summary
table and the chart."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

TARGETS = {
    "pipeline_over_floor": 1.3,
    "incremental_over_full": 0.10,
    "history_large_over_small": 1.2,
    "inner_loop_s": 2.0,
    "publish_share_full": 0.05,  # what the gate's publish costs, of its build
    "publish_share_incremental": 0.05,
}
SPARK_STARTUP = "excluded: timed apart (spark_start_s), counted in neither pipeline nor floor"


def _run_seconds(run: dict) -> float:
    return run["ingestion"]["seconds"] + run["dbt_build"]["seconds"]


def _rate(rows: int, seconds: float) -> float:
    return round(rows / seconds, 1) if seconds else 0.0


def figures(large: dict, small: dict, floor: dict) -> dict:
    full = large["full"]
    pipeline_s = _run_seconds(full)
    incremental_s, incremental_small_s = (
        _run_seconds(large["incremental"]),
        _run_seconds(small["incremental"]),
    )
    build_s, per_layer = full["dbt_build"]["seconds"], full["dbt_build"]["per_layer_s"]
    node_s = sum(per_layer.values())
    # dbt's threads run nodes side by side: node times then add up to more than the wall
    # clock, and each layer gets its share of the wall clock in proportion to its node time
    overlap = max(node_s / build_s, 1.0) if build_s else 1.0
    return {
        "full_ingestion_s": full["ingestion"]["seconds"],
        "full_dbt_build_s": build_s,
        "full_dbt_build_per_layer_s": per_layer,
        "full_dbt_build_per_layer_wall_s": {k: round(v / overlap, 3) for k, v in per_layer.items()},
        # wall clock minus dbt's own node times: parsing, compiling, catalog queries, start-up
        # (hidden, so 0, when threads overlap nodes)
        "full_dbt_overhead_s": round(max(build_s - node_s, 0.0), 3),
        # the gate's publish (fast-forward of every table's main), a share of its whole build
        "full_publish_s": full["dbt_build"].get("publish_s"),
        "incremental_publish_s": large["incremental"]["dbt_build"].get("publish_s"),
        "pipeline_s": round(pipeline_s, 3),
        "docs_s": full.get("docs", {}).get("seconds"),
        "incremental_s": round(incremental_s, 3),
        "incremental_ingestion_s": large["incremental"]["ingestion"]["seconds"],
        "incremental_dbt_build_s": large["incremental"]["dbt_build"]["seconds"],
        "incremental_small_history_s": round(incremental_small_s, 3),
        "incremental_small_history_ingestion_s": small["incremental"]["ingestion"]["seconds"],
        "incremental_small_history_dbt_build_s": small["incremental"]["dbt_build"]["seconds"],
        "small_history_full_s": round(_run_seconds(small["full"]), 3),
        "floor_s": floor["seconds"],
        "inner_loop_s": large.get("inner_loop", {}).get("seconds"),
        "inner_loop_first_s": large.get("inner_loop", {}).get("first_s"),
        "spark_start_s": {"pipeline": large["spark_start_s"], "floor": floor["spark_start_s"]},
        "rows": {
            "history": full["ingestion"]["rows"],
            "small_history": small["full"]["ingestion"]["rows"],
            "daily_batch": large["incremental"]["ingestion"]["rows"],
            "floor": floor["source_rows"],
        },
        "rows_per_s": {
            "pipeline": _rate(full["ingestion"]["rows"], pipeline_s),
            "floor": _rate(floor["source_rows"], floor["seconds"]),
            "incremental": _rate(large["incremental"]["ingestion"]["rows"], incremental_s),
        },
        "peak_memory_mb": {
            "pipeline": large["memory"],
            "small_history": small["memory"],
            "floor": floor["memory"],
        },
    }


def ratios(found: dict) -> dict:
    def ratio(a, b):
        return round(a / b, 3) if a is not None and b else None

    return {
        "pipeline_over_floor": ratio(found["pipeline_s"], found["floor_s"]),
        "incremental_over_full": ratio(found["incremental_s"], found["pipeline_s"]),
        "history_large_over_small": ratio(
            found["incremental_s"], found["incremental_small_history_s"]
        ),
        "inner_loop_s": found["inner_loop_s"],
        "publish_share_full": ratio(found["full_publish_s"], found["full_dbt_build_s"]),
        "publish_share_incremental": ratio(
            found["incremental_publish_s"], found["incremental_dbt_build_s"]
        ),
    }


def rows_match(pipeline_counts: dict, floor_counts: dict) -> bool:
    """The floor computed the same tables: equal row counts, refined and curated."""
    built = {**pipeline_counts.get("refined", {}), **pipeline_counts.get("curated", {})}
    return bool(floor_counts) and all(built.get(t) == n for t, n in floor_counts.items())


def build_report(
    scale_factor, small_history, dbt_tests_skipped, machine, large, small, floor, started
) -> dict:
    found = figures(large, small, floor)
    return {
        "scale_factor": scale_factor,
        "small_history_fraction": small_history,
        "dbt_tests_skipped": dbt_tests_skipped,  # True only in the bench's smoke test
        "started_at": started.isoformat(timespec="seconds"),
        "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "spark_startup": SPARK_STARTUP,
        "machine": machine,
        "figures": found,
        "ratios": ratios(found),
        "targets": TARGETS,
        "checks": {
            "curated_rows_match_floor": rows_match(large["rows_after_full"], floor["rows"]),
            "reconciliation_ok": large["reconciliation_ok"] and small["reconciliation_ok"],
            "builds_succeeded": all(
                run["dbt_build"]["success"]
                for lakehouse in (large, small)
                for run in (lakehouse["full"], lakehouse["incremental"])
            ),
        },
        "runs": {"large_history": large, "small_history": small, "floor": floor},
    }


SCALING_TARGET = 1.1  # seconds per million source rows: the largest scale factor / SF 1's


def scaling_report(runs: dict[str, dict], machine: dict, started) -> dict:
    """The full pipeline at several scale factors: seconds per million source rows (how the
    cost grows with the work) and the driver's peak memory."""
    points = {}
    for sf, run in runs.items():
        full = run["full"]
        seconds, rows = _run_seconds(full), full["ingestion"]["rows"]
        points[sf] = {
            "pipeline_s": round(seconds, 3),
            "ingestion_s": full["ingestion"]["seconds"],
            "dbt_build_s": full["dbt_build"]["seconds"],
            "source_rows": rows,
            "s_per_million_rows": round(seconds / rows * 1e6, 3) if rows else None,
            "peak_memory_mb": run["memory"],
            "success": full["dbt_build"]["success"] and run["reconciliation_ok"],
        }
    per_million = {sf: p["s_per_million_rows"] for sf, p in points.items()}
    largest = max(points, key=float)
    base = per_million.get("1")
    growth = round(per_million[largest] / base, 3) if base and per_million[largest] else None
    return {
        "kind": "scaling",
        "started_at": started.isoformat(timespec="seconds"),
        "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "spark_startup": SPARK_STARTUP,
        "machine": machine,
        "points": points,
        "largest_over_sf1_per_million_rows": growth,
        "target": SCALING_TARGET,
        "runs": runs,
    }


def print_scaling(report: dict) -> None:
    print("\n==> scaling: the full pipeline (ingestion + the gate --full-refresh)")
    print(f"  {'SF':>5} {'seconds':>9} {'rows':>11} {'s / M rows':>11} {'driver JVM MB':>14}")
    for sf, p in report["points"].items():
        jvm = p["peak_memory_mb"].get("driver_jvm_peak_mb")
        print(
            f"  {sf:>5} {p['pipeline_s']:9.1f} {p['source_rows']:>11} "
            f"{p['s_per_million_rows']:11.2f} {jvm:>14}"
        )
    print(
        f"  largest SF / SF 1, per million rows: {report['largest_over_sf1_per_million_rows']}"
        f" (target <= {report['target']})"
    )


def _meets(key: str, value) -> str:
    if value is None:
        return "n/a"
    return "ok" if value <= TARGETS[key] else "above target"


def print_summary(report: dict) -> None:
    found, ratio = report["figures"], report["ratios"]
    load = report["machine"]["load_average"]
    print(
        f"\n==> bench summary: TPC-H SF {report['scale_factor']} "
        f"({report['machine']['cores']} cores, {report['machine']['memory_gb']} GB, "
        f"load average {load['start'][0]} at start)"
    )
    rows = [
        ("floor (hand-written PySpark)", found["floor_s"]),
        ("full pipeline: ingestion", found["full_ingestion_s"]),
        ("full pipeline: the gate --full-refresh", found["full_dbt_build_s"]),
        ("  of which the publish", found["full_publish_s"]),
        ("full pipeline", found["pipeline_s"]),
        ("dbt docs generate", found["docs_s"]),
        ("daily batch, large history", found["incremental_s"]),
        ("  of which the publish", found["incremental_publish_s"]),
        ("daily batch, small history", found["incremental_small_history_s"]),
        ("inner loop (one curated model), warm", found["inner_loop_s"]),
        ("  its first run after the gate", found["inner_loop_first_s"]),
    ]
    for name, seconds in rows:
        if seconds is not None:
            print(f"  {name:<42} {seconds:9.1f} s")
    print(f"  {'ratio':<42} {'value':>9}   target")
    for key, target in TARGETS.items():
        value = ratio[key]
        shown = "n/a" if value is None else f"{value:.2f}"
        print(f"  {key:<42} {shown:>9}   <= {target:<6} {_meets(key, value)}")
    print(
        f"  spark start-up (excluded)                  "
        f"{found['spark_start_s']['pipeline']:9.1f} s pipeline, "
        f"{found['spark_start_s']['floor']:.1f} s floor"
    )


def draw_chart(report: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")  # files only, no display
    import matplotlib.pyplot as plt

    found = report["figures"]
    layers = found.get("full_dbt_build_per_layer_wall_s") or found["full_dbt_build_per_layer_s"]
    fig, (times, ratio_axis) = plt.subplots(1, 2, figsize=(13, 5), width_ratios=[2, 1])

    main_layers = ("staging", "refined", "curated", "tests")
    dbt_parts = {layer: layers.get(layer, 0.0) for layer in main_layers}
    dbt_parts["seeds, snapshots, unit tests"] = sum(
        seconds for layer, seconds in layers.items() if layer not in main_layers
    )
    dbt_parts["dbt overhead"] = max(found.get("full_dbt_overhead_s") or 0.0, 0.0)
    bars = [
        ("floor", {"floor": found["floor_s"]}),
        ("full pipeline", {"ingestion": found["full_ingestion_s"], **dbt_parts}),
        (
            "daily batch\n(large history)",
            {
                "ingestion": found["incremental_ingestion_s"],
                "dbt build": found["incremental_dbt_build_s"],
            },
        ),
        (
            "daily batch\n(small history)",
            {
                "ingestion": found["incremental_small_history_ingestion_s"],
                "dbt build": found["incremental_small_history_dbt_build_s"],
            },
        ),
        ("inner loop", {"dbt build": found["inner_loop_s"] or 0.0}),
    ]
    palette = plt.get_cmap("tab20").colors
    colours = {
        part: palette[i] for i, part in enumerate(["floor", "ingestion", *dbt_parts, "dbt build"])
    }
    longest = max(sum(parts.values()) for _, parts in bars)
    for row, (_label, parts) in enumerate(bars):
        left = 0.0
        for part, seconds in parts.items():
            times.barh(row, seconds, left=left, color=colours[part], label=part)
            left += seconds
        times.text(left, row, f" {left:.0f} s", va="center")
    times.set_xlim(0, longest * 1.15)
    handles, labels = times.get_legend_handles_labels()
    unique = dict(zip(labels, handles, strict=True))
    times.legend(unique.values(), unique.keys(), fontsize=8, loc="lower right")
    times.set_yticks(range(len(bars)), [label for label, _ in bars])
    times.invert_yaxis()
    times.set_xlabel("seconds (Spark start-up excluded)")
    times.set_title(f"TPC-H SF {report['scale_factor']}: wall-clock time per run")

    keys = ["pipeline_over_floor", "incremental_over_full", "history_large_over_small"]
    values = [report["ratios"][k] or 0.0 for k in keys]
    ratio_axis.bar(range(len(keys)), values, color="tab:blue", label="measured")
    ratio_axis.scatter(
        range(len(keys)),
        [TARGETS[k] for k in keys],
        color="tab:red",
        marker="_",
        s=900,
        label="target",
        zorder=3,
    )
    ratio_axis.set_xticks(
        range(len(keys)), ["pipeline /\nfloor", "incremental /\nfull", "large history /\nsmall"]
    )
    ratio_axis.set_title("ratios")
    ratio_axis.legend(fontsize=8)
    machine = report["machine"]
    fig.suptitle(
        f"{machine['cores']} cores, {machine['memory_gb']} GB, load average "
        f"{machine['load_average']['start'][0]} at start",
        fontsize=9,
    )
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main(argv: list[str] | None = None) -> int:
    """Recomputes a report's figures, ratios and chart from the runs it holds."""
    import argparse
    import json

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("report", type=Path, help="bench/results/bench-sf<SF>-<time>.json")
    path = parser.parse_args(argv).report
    old = json.loads(path.read_text())
    runs = old["runs"]
    report = build_report(
        old["scale_factor"], old["small_history_fraction"], old.get("dbt_tests_skipped", False),
        old["machine"], runs["large_history"], runs["small_history"], runs["floor"],
        datetime.fromisoformat(old["started_at"]),
    )  # fmt: skip
    report["finished_at"] = old["finished_at"]
    path.write_text(json.dumps(report, indent=2) + "\n")
    draw_chart(report, path.with_suffix(".png"))
    print_summary(report)
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(main())
