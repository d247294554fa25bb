"""What the benchmark's processes measure besides wall-clock time: peak memory, ingestion time
per table (from the jobs' own lifecycle log events), dbt's time per model (run_results.json)."""

from __future__ import annotations

import json
import logging
import os
import resource
import time
from pathlib import Path


def _status(pid: int) -> dict[str, str]:
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        fields[key] = value.strip()
    return fields


def _descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int(_status(int(entry.name)).get("PPid", "0"))
            except (OSError, ValueError):
                continue  # gone meanwhile
            children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def peak_memory_mb() -> dict[str, float]:
    """Peak resident memory (high-water mark) of this Python process and of its JVM (the Spark
    driver, a child process started by PySpark). Read before the JVM stops."""
    python = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    jvm = 0.0
    for pid in _descendants(os.getpid()):
        try:
            status = _status(pid)
        except OSError:
            continue
        if status.get("Name") == "java" and "VmHWM" in status:
            jvm = max(jvm, int(status["VmHWM"].split()[0]) / 1024)
    return {"driver_jvm_peak_mb": round(jvm, 1), "python_peak_mb": round(python, 1)}


class JobEvents(logging.Handler):
    """Listens to the ingestion library's structured log: 'job started', then one 'table
    loaded' per table, then 'job finished'. A table's time is the gap since the previous event
    of its job (the job's first table also carries the job's start-up)."""

    EVENTS = ("job started", "table loaded", "job finished", "job failed")

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.jobs: list[dict] = []
        self._last: float = 0.0

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if message not in self.EVENTS:
            return
        fields = getattr(record, "fields", {})
        if message == "job started":
            self.jobs.append(
                {"job": fields.get("job"), "batch_id": fields.get("batch_id"), "tables": []}
            )
        elif self.jobs and message == "table loaded":
            self.jobs[-1]["tables"].append(
                {
                    "table": fields.get("table_name"),
                    "rows_read": fields.get("rows_read"),
                    "rows_written": fields.get("rows_written"),
                    "rows_rejected": fields.get("rows_rejected"),
                    "seconds": round(record.created - self._last, 3),
                }
            )
        elif self.jobs:
            self.jobs[-1]["seconds"] = fields.get("duration_seconds")
            self.jobs[-1]["status"] = fields.get("status")
        self._last = record.created

    def __enter__(self) -> JobEvents:
        logging.getLogger("lakehouse_jobs").addHandler(self)
        return self

    def __exit__(self, *_exc) -> None:
        logging.getLogger("lakehouse_jobs").removeHandler(self)


def layer_of(node: dict) -> str:
    """models/<project>/<layer>/... -> the layer; other nodes by their type (test, seed, ...)."""
    kind = node.get("resource_type", "")
    if kind == "model" and len(node.get("fqn", [])) > 2:
        return node["fqn"][2]
    return {"test": "tests", "unit_test": "unit tests"}.get(kind, f"{kind}s")


def dbt_timings(target: Path) -> dict:
    """dbt's own execution time per node of the last command (target/run_results.json), with
    each node's layer from the manifest; and the totals per layer."""
    results = json.loads((target / "run_results.json").read_text())
    manifest = json.loads((target / "manifest.json").read_text())
    nodes = {**manifest.get("nodes", {}), **manifest.get("unit_tests", {})}
    per_node, per_layer, tests = {}, {}, []
    for result in results["results"]:
        node = nodes.get(result["unique_id"], {"resource_type": result["unique_id"].split(".")[0]})
        layer = layer_of(node)
        seconds = float(result.get("execution_time") or 0.0)
        if node.get("resource_type") in ("model", "snapshot", "seed"):
            per_node[node.get("name", result["unique_id"])] = {
                "layer": layer,
                "seconds": round(seconds, 3),
                "status": result["status"],
            }
        elif node.get("resource_type") in ("test", "unit_test"):
            tests.append((round(seconds, 3), node.get("name", result["unique_id"])))
        per_layer[layer] = round(per_layer.get(layer, 0.0) + seconds, 3)
    return {
        "elapsed_s": round(float(results.get("elapsed_time") or 0.0), 3),
        "per_layer_s": per_layer,
        "nodes": per_node,
        "slowest_tests": [{"test": n, "seconds": s} for s, n in sorted(tests, reverse=True)[:15]],
        "statuses": _count(r["status"] for r in results["results"]),
    }


def combined(timings: list[dict]) -> dict:
    """The dbt_timings of several commands run one after the other (the gate's stages), as one."""
    per_layer: dict[str, float] = {}
    statuses: dict[str, int] = {}
    nodes, tests = {}, []
    for t in timings:
        for layer, seconds in t["per_layer_s"].items():
            per_layer[layer] = round(per_layer.get(layer, 0.0) + seconds, 3)
        for status, n in t["statuses"].items():
            statuses[status] = statuses.get(status, 0) + n
        nodes |= t["nodes"]
        tests += t["slowest_tests"]
    return {
        "elapsed_s": round(sum(t["elapsed_s"] for t in timings), 3),
        "per_layer_s": per_layer,
        "nodes": nodes,
        "slowest_tests": sorted(tests, key=lambda s: s["seconds"], reverse=True)[:15],
        "statuses": statuses,
    }


def _count(values) -> dict[str, int]:
    counted: dict[str, int] = {}
    for value in values:
        counted[value] = counted.get(value, 0) + 1
    return counted


class Timer:
    """`with Timer() as t: ...` then t.seconds."""

    def __enter__(self) -> Timer:
        self._started = time.monotonic()
        self.seconds = 0.0
        return self

    def __exit__(self, *_exc) -> None:
        self.seconds = round(time.monotonic() - self._started, 3)
