"""`make docs`: generate the dbt docs site and serve it on 127.0.0.1.

    make docs                    generate (local lakehouse) and serve on a free port
    make docs PORT=8080          serve on a chosen port
    make docs TARGET=dev         catalog from a dbt-glue target (AWS credentials needed)
    python -m lakehouse.docs.site generate --target prod     generate only (CI)

The site is dbt's single-page index.html, which reads manifest.json and catalog.json next to
it; a small threaded HTTP server serves the target folder until Ctrl-C.
"""

from __future__ import annotations

import argparse
import functools
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

SITE_FILES = ("index.html", "manifest.json", "catalog.json")


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args) -> None:
        pass  # one line per request would bury the URL


def missing_site_files(site: Path) -> list[str]:
    return [name for name in SITE_FILES if not (site / name).is_file()]


@contextmanager
def serve(site: Path, port: int = 0, host: str = "127.0.0.1") -> Iterator[str]:
    """Serves `site` in a background thread; yields its URL; stops and closes on exit."""
    missing = missing_site_files(site)
    if missing:
        raise FileNotFoundError(f"{site} lacks {', '.join(missing)}: run `dbt docs generate`")
    handler = functools.partial(QuietHandler, directory=str(site))
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="docs-site", daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def generate(target: str, dbt_vars: str | None = None) -> bool:
    """`dbt docs generate` in this process; dbt-glue targets via the project's catalog macro."""
    from lakehouse.docs import glue_catalog
    from lakehouse.local.dbt import run_dbt

    glue_catalog.install()
    extra = ("--vars", dbt_vars) if dbt_vars else ()
    return run_dbt("docs", "generate", *extra, target=target).success


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("command", nargs="?", choices=["serve", "generate"], default="serve")
    parser.add_argument("--target", default="local", help="dbt target (local, dev, int, prod)")
    parser.add_argument("--vars", help="dbt --vars, e.g. '{shared_schemas: true}' in deployments")
    parser.add_argument("--port", type=int, default=0, help="port to serve on (0: a free one)")
    parser.add_argument("--no-generate", action="store_true", help="serve the last generated site")
    args = parser.parse_args(argv)

    if not args.no_generate and not generate(args.target, args.vars):
        print("dbt docs generate failed: see above", file=sys.stderr)
        return 1
    if args.command == "generate":
        return 0
    from lakehouse.environment import target_dir

    site = target_dir()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())  # stop cleanly when terminated too
    try:
        with serve(site, args.port) as url:
            print(f"dbt docs of {site} at {url}  (Ctrl-C to stop)", flush=True)
            while not stop.wait(0.5):
                pass
        print("stopped")
    except KeyboardInterrupt:
        print("stopped")
    except (FileNotFoundError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
