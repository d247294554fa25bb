"""`make parity`: the whole dbt project through the UNMODIFIED dbt-glue adapter against glue-local,
compared table by table with the `local` (dbt-spark) build of the same raw data.

1. reference: a `local` lakehouse (its own process and folder) runs `make run`'s pipeline:
   sample data, ingestion, `dbt build`;
2. glue: glue-local starts (its own process and folder) with the reference's source tables,
   copied byte for byte (identical raw data, load times included);
3. dbt-glue runs `dbt build`, again for incremental models and snapshots (the second run
   merges), and the project's docs generation;
4. every model, seed and snapshot must have the same relation kind (view / iceberg / parquet),
   columns and types, row count and order-independent checksum; every model must be in the
   docs catalog; every dbt node must pass on both runs.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from lakehouse_jobs.paths import lakehouse_dir, repo_root

BATCH = "history"
REGION = "eu-west-1"
# Columns that record WHEN data was loaded or snapshotted, not what it is: two builds of the
# same data differ there. They are compared by name and type, left out of the checksums.
RUN_TIME_COLUMN = re.compile(
    r"^(dbt_scd_id|dbt_updated_at|dbt_valid_from|dbt_valid_to|\w*ingested_at)$"
)
NODE_TYPES = ("model", "seed", "snapshot")
# What a second run changes: incrementals take their incremental path (merge), snapshots compare.
SECOND_RUN = ("--select", "config.materialized:incremental resource_type:snapshot")


# -- fingerprints (run inside a Spark process: the reference's, or glue-local's) ---------------
def relation_kind(spark, relation: str) -> str:
    """view, or the table's provider (iceberg, parquet)."""
    details = {r[0]: r[1] for r in spark.sql(f"describe table extended {relation}").collect()}
    if details.get("Type") == "VIEW":
        return "view"
    return (details.get("Provider") or "unknown").lower()


def _hash_sum(expression: str) -> str:
    return f"cast(coalesce(sum(cast(xxhash64({expression}) as decimal(38, 0))), 0) as string)"


def table_fingerprints(spark, relations: list[str]) -> dict[str, dict]:
    """Per relation: kind, columns and types, row count, a checksum that ignores row order (the
    sum of a hash of each row's values) and one per column, to tell which column differs."""
    prints: dict[str, dict] = {}
    for relation in relations:
        if not spark.catalog.tableExists(relation):
            prints[relation] = {"missing": True}
            continue
        columns = {f.name: f.dataType.simpleString() for f in spark.table(relation).schema.fields}
        compared = [n for n in sorted(columns) if not RUN_TIME_COLUMN.match(n)]
        sums = [_hash_sum(", ".join(f"`{n}`" for n in compared))] + [
            _hash_sum(f"`{n}`") for n in compared
        ]
        rows, checksum, *per_column = spark.sql(
            f"select count(*), {', '.join(sums)} from {relation}"
        ).first()
        prints[relation] = {
            "kind": relation_kind(spark, relation),
            "columns": columns,
            "rows": rows,
            "checksum": checksum,
            "column_checksums": dict(zip(compared, per_column, strict=True)),
        }
    return prints


def source_tables(manifest_path: Path) -> list[str]:
    """schema.identifier of every dbt source: the raw data both builds must share."""
    sources = json.loads(manifest_path.read_text())["sources"].values()
    return sorted({f"{s['schema']}.{s['identifier']}" for s in sources})


def source_ddl(spark, tables: list[str]) -> dict[str, dict]:
    """Per existing source table: `show create table` and its partitions with their locations
    (ingestion may place partitions outside Hive's `key=value` folders)."""
    found = {}
    for table in tables:
        if not spark.catalog.tableExists(table):
            continue
        create = spark.sql(f"show create table {table}").first()[0]
        partitions = []
        if "PARTITIONED BY" in create:
            for (name,) in spark.sql(f"show partitions {table}").collect():
                spec = ", ".join(
                    f"{k} = '{v}'" for k, v in (part.split("=", 1) for part in name.split("/"))
                )
                details = spark.sql(f"describe formatted {table} partition ({spec})").collect()
                location = next(r[1] for r in details if r[0] == "Location")
                partitions.append([spec, location])
        found[table] = {"create": create, "partitions": partitions}
    return found


# -- what to compare ---------------------------------------------------------------------------
def manifest_relations(manifest_path: Path) -> dict[str, str]:
    """unique_id -> schema.alias of every model, seed and snapshot that dbt materializes."""
    nodes = json.loads(manifest_path.read_text())["nodes"]
    return {
        uid: f"{node['schema']}.{node['alias']}"
        for uid, node in nodes.items()
        if node["resource_type"] in NODE_TYPES and node["config"]["materialized"] != "ephemeral"
    }


def compare(reference: dict[str, dict], glue: dict[str, dict]) -> list[str]:
    """Every difference between two sets of fingerprints, as readable lines (empty = parity)."""
    problems = []
    for relation in sorted(set(reference) | set(glue)):
        ref, other = (
            reference.get(relation, {"missing": True}),
            glue.get(relation, {"missing": True}),
        )
        if ref.get("missing") or other.get("missing"):
            if ref.get("missing") != other.get("missing"):
                side = "glue" if other.get("missing") else "local"
                problems.append(f"{relation}: missing on {side}")
            continue
        if ref["kind"] != other["kind"]:
            problems.append(f"{relation}: a {ref['kind']} on local, a {other['kind']} on glue")
        if ref["columns"] != other["columns"]:
            changed = {
                c: (ref["columns"].get(c), other["columns"].get(c))
                for c in sorted(set(ref["columns"]) | set(other["columns"]))
                if ref["columns"].get(c) != other["columns"].get(c)
            }
            problems.append(f"{relation}: columns differ (local, glue): {changed}")
        elif (ref["rows"], ref["checksum"]) != (other["rows"], other["checksum"]):
            ref_sums, other_sums = (
                ref.get("column_checksums", {}),
                other.get("column_checksums", {}),
            )
            columns = [c for c in ref_sums if ref_sums[c] != other_sums.get(c)]
            problems.append(
                f"{relation}: rows differ: local {ref['rows']} rows, glue {other['rows']} rows"
                + (f", in columns {columns}" if columns else "")
            )
    return problems


# Nodes dbt runs nothing for: `dbt build` reports them "no-op" (dbt 1.10), which is their pass.
NOTHING_TO_RUN = ("exposure.", "saved_query.", "semantic_model.", "metric.")


def failed_nodes(run_results_path: Path) -> list[str]:
    results = json.loads(run_results_path.read_text())["results"]
    return [
        f"{r['unique_id']}: {r['status']}"
        for r in results
        if r["status"] not in ("success", "pass")
        and not (r["status"] == "no-op" and r["unique_id"].startswith(NOTHING_TO_RUN))
    ]


def uncatalogued(catalog_path: Path, manifest_path: Path) -> list[str]:
    """Models, seeds and snapshots that `dbt docs generate` left out of catalog.json."""
    catalog = json.loads(catalog_path.read_text())["nodes"]
    return sorted(uid for uid in manifest_relations(manifest_path) if uid not in catalog)


# -- glue-local: the server process and the AWS side -----------------------------------------
def aws_env(url: str) -> dict[str, str]:
    """What boto3 (in dbt-glue, or here) needs to talk to glue-local, and nothing on AWS."""
    return {
        "AWS_ENDPOINT_URL": url,
        "AWS_ACCESS_KEY_ID": "glue-local",
        "AWS_SECRET_ACCESS_KEY": "glue-local",
        "AWS_REGION": REGION,
        "AWS_DEFAULT_REGION": REGION,
        "AWS_EC2_METADATA_DISABLED": "true",
    }


def glue_client(url: str, service: str = "glue"):
    import boto3

    env = aws_env(url)
    return boto3.client(
        service,
        endpoint_url=url,
        region_name=REGION,
        aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"],
    )


@contextmanager
def glue_local(home: Path, startup_seconds: float = 600) -> Iterator[tuple[str, int]]:
    """glue-local in its own process (and process group: its JVM goes with it) on `home`;
    yields its URL and process id."""
    home.mkdir(parents=True, exist_ok=True)
    ready = home / "glue-local.url"
    ready.unlink(missing_ok=True)
    log = (home / "glue-local.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "lakehouse.glue_emulator", "--port", "0",
         "--lakehouse-dir", str(home), "--ready-file", str(ready)],
        cwd=repo_root(), stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + startup_seconds
        while not ready.exists():
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"glue-local did not start; see {home / 'glue-local.log'}")
            time.sleep(0.5)
        yield ready.read_text(), server.pid
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=120)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)  # our own process group, nothing else
            server.wait()
        log.close()


def run_ingestion_jobs(url: str, landing: Path, batch: str = BATCH) -> list[str]:
    """Every ingestion job script as a Glue job run, `--KEY value` arguments, one after another."""
    glue = glue_client(url)
    names = []
    for script in sorted((repo_root() / "ingestion" / "jobs").glob("*/*.py")):
        name = f"{script.parent.name}-{script.stem}"
        if not _job_exists(glue, name):
            glue.create_job(
                Name=name, Role="arn:aws:iam::123456789012:role/glue-local",
                Command={"Name": "glueetl", "ScriptLocation": str(script), "PythonVersion": "3"},
            )  # fmt: skip
        run_id = glue.start_job_run(
            JobName=name, Arguments={"--BATCH_ID": batch, "--LANDING_ROOT": str(landing)}
        )["JobRunId"]
        while (run := glue.get_job_run(JobName=name, RunId=run_id)["JobRun"])["JobRunState"] in (
            "STARTING",
            "RUNNING",
        ):
            time.sleep(0.5)
        if run["JobRunState"] != "SUCCEEDED":
            raise RuntimeError(f"job {name} {run['JobRunState']}: {run.get('ErrorMessage')}")
        names.append(name)
    return names


def _job_exists(glue, name: str) -> bool:
    try:
        glue.get_job(JobName=name)
        return True
    except glue.exceptions.EntityNotFoundException:
        return False


def load_sources(url: str, ddl: dict[str, dict], reference: Path, home: Path) -> None:
    """The reference's raw tables, byte for byte, in glue-local: their folders copied from the
    reference's warehouse into glue-local's, then declared there with the same DDL and the same
    partitions."""

    def copied(location: str) -> str:
        source = Path(location.removeprefix("file:"))
        target = home / "warehouse" / source.relative_to(reference / "warehouse")
        shutil.copytree(source, target, dirs_exist_ok=True)
        return str(target)

    statements = []
    for table, spec in ddl.items():
        table_location = re.search(r"LOCATION '([^']+)'", spec["create"]).group(1)
        statements.append(spec["create"].replace(table_location, copied(table_location)))
        statements += [
            f"alter table {table} add if not exists partition ({part}) location '{copied(where)}'"
            for part, where in spec["partitions"]
        ]
    databases = sorted({table.split(".")[0] for table in ddl})
    code = [f"spark.sql('create database if not exists {d}')" for d in databases]
    code += [f"spark.sql({statement!r})" for statement in statements]
    run_python(url, "\n".join(code))


def run_python(url: str, code: str, session_id: str = "parity") -> str:
    """Runs Python in a glue-local session (where `spark` is) and returns what it printed."""
    glue = glue_client(url)
    try:
        glue.get_session(Id=session_id)
    except glue.exceptions.EntityNotFoundException:
        glue.create_session(
            Id=session_id, Role="arn:aws:iam::123456789012:role/glue-local",
            Command={"Name": "glueetl", "PythonVersion": "3"},
        )  # fmt: skip
    statement_id = glue.run_statement(SessionId=session_id, Code=code)["Id"]
    while (statement := glue.get_statement(SessionId=session_id, Id=statement_id)["Statement"])[
        "State"
    ] not in ("AVAILABLE", "ERROR", "CANCELLED"):
        pass  # glue-local holds GetStatement until the statement is done (or a few seconds)
    output = statement.get("Output", {})
    if output.get("Status") != "ok":
        raise RuntimeError(f"{output.get('ErrorName')}: {output.get('ErrorValue')}")
    return output["Data"]["TextPlain"]


def glue_fingerprints(url: str, relations: list[str]) -> dict[str, dict]:
    code = (
        "import json\nfrom lakehouse.parity import table_fingerprints\n"
        f"print(json.dumps(table_fingerprints(spark, {relations!r})))"
    )
    return json.loads(run_python(url, code))


def dbt_glue_env(url: str, home: Path) -> dict[str, str]:
    """The environment of a dbt run on target glue_local, with its files under `home`."""
    return {
        **os.environ,
        **aws_env(url),
        "DBT_PROFILES_DIR": str(repo_root() / "profiles"),
        "DBT_GLUE_LOCATION": str(home / "warehouse"),
        "DBT_GLUE_STORAGE_ROOT": str(home / "warehouse"),
        "DBT_TARGET_PATH": str(home / "dbt-target"),
        "DBT_LOG_PATH": str(home / "dbt-logs"),
        "LAKEHOUSE_DIR": str(home),
    }


def _logged(command: list[str], env: dict[str, str], home: Path) -> int:
    with (home / "dbt.log").open("a") as log:
        log.write(f"\n$ {' '.join(command)}\n")
        log.flush()
        run = subprocess.run(
            command, env=env, cwd=repo_root(), stdout=log, stderr=subprocess.STDOUT
        )
        return run.returncode


def dbt_glue(url: str, home: Path, *args: str, project_dir: Path | None = None) -> int:
    """`dbt <args> --target glue_local` in a child process, logged to home/dbt.log."""
    dbt = Path(sys.executable).with_name("dbt")
    project = str(project_dir or repo_root())
    command = [str(dbt), *args, "--target", "glue_local", "--project-dir", project]
    return _logged(command, dbt_glue_env(url, home), home)


def docs_generate(url: str, home: Path) -> int:
    """The project's `dbt docs generate` for glue_local: lakehouse.docs_site routes dbt-glue's
    catalog through the project's glue__get_catalog macro (stock dbt-glue lists one schema)."""
    command = [sys.executable, "-m", "lakehouse.docs_site", "generate", "--target", "glue_local"]
    return _logged(command, dbt_glue_env(url, home), home)


# -- the whole check ----------------------------------------------------------------------------
KEPT = ("jars", "tpch")  # installed jars and generated sample data: the same on every run


def fresh(home: Path) -> None:
    """Empties one side's folder (metastore, tables, dbt files, logs) but for what KEPT names:
    every run builds from nothing, as the first did, whatever a previous run left."""
    home.mkdir(parents=True, exist_ok=True)
    for entry in home.iterdir():
        if entry.name in KEPT:
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()


def glue_side(
    home: Path, reference: Path, ddl: dict[str, str], manifest: Path, runs: int = 2
) -> dict:
    """glue-local on `home` (emptied first): the reference's source tables, `dbt build` (then
    again for incrementals and snapshots), the docs, fingerprints."""
    report: dict = {"failures": []}
    relations = manifest_relations(manifest)
    fresh(home)
    with glue_local(home) as (url, pid):
        report["server_pid"] = pid
        started = time.monotonic()
        load_sources(url, ddl, reference, home)
        report["seconds_sources"] = round(time.monotonic() - started, 1)
        target = home / "dbt-target"
        for run in range(1, runs + 1):
            started = time.monotonic()
            code = dbt_glue(url, home, "build", *([] if run == 1 else SECOND_RUN))
            report[f"seconds_build_{run}"] = round(time.monotonic() - started, 1)
            failed = failed_nodes(target / "run_results.json")
            if code != 0 or failed:
                report["failures"].append(f"dbt build run {run} (exit {code}): {failed}")
        started = time.monotonic()
        if docs_generate(url, home) != 0:
            report["failures"].append("dbt docs generate failed")
        elif missing := uncatalogued(target / "catalog.json", manifest):
            report["failures"].append(f"not in the docs catalog: {missing}")
        report["seconds_docs"] = round(time.monotonic() - started, 1)
        report["fingerprints"] = glue_fingerprints(url, sorted(set(relations.values())))
    return report


def reference_side(home: Path, sf: str) -> int:
    """The `local` build (`make run`'s pipeline) in THIS process, run as a child: one JVM per
    lakehouse folder, emptied first. Writes the fingerprints and the source tables' DDL next to
    it."""
    fresh(home)
    os.environ.update(
        LAKEHOUSE_DIR=str(home),
        DBT_TARGET_PATH=str(home / "dbt-target"),
        DBT_LOG_PATH=str(home / "dbt-logs"),
    )
    from lakehouse_jobs.spark import get_spark

    from lakehouse import jars, pipeline

    jars.ensure_jars(home)
    code = pipeline.main(["--sf", sf])
    spark = get_spark("parity-reference")
    manifest = home / "dbt-target" / "manifest.json"
    relations = manifest_relations(manifest)
    prints = table_fingerprints(spark, sorted(set(relations.values())))
    (home / "fingerprints.json").write_text(json.dumps(prints, indent=1))
    ddl = source_ddl(spark, source_tables(manifest))
    (home / "sources.json").write_text(json.dumps(ddl, indent=1))
    return code


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--sf", default="0.01", help="TPC-H scale factor of the sample data")
    parser.add_argument("--workdir", type=Path, default=None, help="default $LAKEHOUSE_DIR/parity")
    parser.add_argument("--reference-only", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument(
        "--reuse-reference", action="store_true", help="keep the last local build (debugging)"
    )
    args = parser.parse_args(argv)
    work = (args.workdir or lakehouse_dir() / "parity").absolute()
    if args.reference_only:
        return reference_side(work / "local", args.sf)

    reused = args.reuse_reference and (work / "local" / "fingerprints.json").exists()
    print(f"==> reference: dbt-spark `local` build in {work / 'local'}", flush=True)
    child = [sys.executable, "-m", "lakehouse.parity", "--reference-only", "--sf", args.sf]
    if not reused and subprocess.run([*child, "--workdir", str(work)], cwd=repo_root()).returncode:
        print("parity: the local (dbt-spark) build itself failed; fix that first")
        return 1
    print(f"==> glue: dbt-glue against glue-local in {work / 'glue'}", flush=True)
    local = work / "local"
    ddl = json.loads((local / "sources.json").read_text())
    report = glue_side(work / "glue", local, ddl, local / "dbt-target" / "manifest.json")
    reference = json.loads((work / "local" / "fingerprints.json").read_text())
    problems = report["failures"] + compare(reference, report["fingerprints"])
    timings = {k: v for k, v in report.items() if k.startswith("seconds_")}
    print(f"==> parity: {len(reference)} relations compared; glue-side timings {timings}")
    for problem in problems:
        print(f"  DIFFERENT {problem}")
    print(
        "parity: OK"
        if not problems
        else f"parity: {len(problems)} difference(s); logs in {work / 'glue'}"
    )
    return 0 if not problems else 1


if __name__ == "__main__":
    sys.exit(main())
