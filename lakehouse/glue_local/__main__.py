"""`python -m lakehouse.glue_local`: serve glue-local on 127.0.0.1 until SIGTERM/SIGINT.

Its Spark session and metastore live in --lakehouse-dir (default $LAKEHOUSE_DIR/glue-local),
never in the lakehouse of `make run`: glue-local's schemas and tables stay apart from local's.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import sys
import threading
from pathlib import Path


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m lakehouse.glue_local", description=__doc__)
    parser.add_argument("--port", type=int, default=int(os.environ.get("GLUE_LOCAL_PORT", "4599")))
    parser.add_argument("--lakehouse-dir", type=Path, help="default: $LAKEHOUSE_DIR/glue-local")
    parser.add_argument("--ready-file", type=Path, help="written with the URL once serving")
    parser.add_argument(
        "--iam",
        type=Path,
        help="principals and their policies (lakehouse.glue_local.principals): enforce IAM",
    )
    parser.add_argument("--verbose", action="store_true", help="log every request")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO, format="glue-local: %(message)s"
    )
    from lakehouse_jobs.paths import lakehouse_dir

    home = (args.lakehouse_dir or lakehouse_dir() / "glue-local").absolute()
    home.mkdir(parents=True, exist_ok=True)
    os.environ["LAKEHOUSE_DIR"] = str(home)  # read by the Spark set-up and by job scripts

    from lakehouse_jobs.spark import get_spark

    from lakehouse.glue_local.enforcement import Enforcement
    from lakehouse.glue_local.resources import REGION, S3_ROOT, Resources
    from lakehouse.glue_local.server import GLUE_CATALOG_CONF, GlueEmulator, start_server
    from lakehouse.local import jars

    jars.ensure_jars(home)
    spark = get_spark("glue-local", extra_conf=GLUE_CATALOG_CONF)
    spark.sparkContext.setLogLevel("ERROR")
    enforcement = Enforcement.off()
    if args.iam:
        account = json.loads(args.iam.read_text())["account_id"]
        resources = Resources(account, REGION, home / S3_ROOT)
        enforcement = Enforcement(args.iam.absolute(), resources)
    emulator = GlueEmulator(spark, enforcement.resources.account_id, enforcement=enforcement)
    server, url = start_server(emulator, args.port)

    stopping = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stopping.set())
    logging.info("serving on %s (lakehouse %s); stop with Ctrl-C", url, home)
    if args.ready_file:
        args.ready_file.write_text(url)
    stopping.wait()

    logging.info("stopping: %s", dict(sorted(emulator.calls.items())))
    server.shutdown()
    server.server_close()
    emulator.close()
    spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
