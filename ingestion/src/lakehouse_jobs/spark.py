"""Spark session factory: the Glue-managed session on AWS Glue, the embedded lakehouse locally.

Locally the Spark set-up is read from the dbt profile's `local` target (profiles/profiles.yml),
so an ingestion job, a dbt run and the SQL shell all open the same catalog the same way.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from lakehouse_jobs.paths import lakehouse_dir, metastore_port, repo_root

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

PROFILE = Path("profiles") / "profiles.yml"


def running_on_glue() -> bool:
    """A Glue job run: Glue's own `awsglue` package is importable (never installed locally),
    or the job environment names a Glue version."""
    import importlib.util

    if "GLUE_VERSION" in os.environ or "GLUE_PYTHON_VERSION" in os.environ:
        return True
    return importlib.util.find_spec("awsglue") is not None


def metastore_environment(home: Path) -> dict[str, str]:
    """What the local target's profile reads of the lakehouse in `home`."""
    return {
        "LAKEHOUSE_DIR": str(home),
        "LAKEHOUSE_METASTORE_ADDRESS": f"127.0.0.1:{metastore_port(home)}",
    }


def local_conf(profile: Path | None = None) -> dict[str, str]:
    """The local target's server_side_parameters, rendered like dbt renders them."""
    import jinja2
    import yaml

    root = repo_root()
    if profile is None:
        if root is None:
            raise RuntimeError("the local lakehouse needs the repository checkout (profiles/)")
        profile = root / PROFILE
    home = lakehouse_dir()
    env = {**os.environ, **metastore_environment(home)}

    def env_var(name: str, default: str | None = None) -> str:
        if name in env:
            return env[name]
        if default is None:
            raise KeyError(f"environment variable {name} is required by {profile}")
        return default

    outputs = yaml.safe_load(profile.read_text())["lakehouse"]["outputs"]
    params = outputs["local"]["server_side_parameters"]
    jinja = jinja2.Environment(autoescape=False)  # nosec B701 # noqa: S701 - config, not HTML
    return {k: jinja.from_string(str(v)).render(env_var=env_var).strip() for k, v in params.items()}


def get_spark(
    app_name: str = "lakehouse", extra_conf: dict[str, str] | None = None
) -> SparkSession:
    """One Spark session per process: reuses the active one (e.g. dbt's) when there is one."""
    from pyspark.sql import SparkSession

    if running_on_glue():
        return SparkSession.builder.appName(app_name).getOrCreate()

    conf = {**local_conf(), **(extra_conf or {})}
    jars = conf.get("spark.jars", "").split(",")
    missing = [jar for jar in jars if jar and not Path(jar).exists()]
    if missing:
        raise RuntimeError(f"jars missing: {missing}. Run `make setup` to install them.")
    if SparkSession.getActiveSession() is None:
        # the lakehouse's metastore server, started on demand (the checkout's lakehouse/local)
        from lakehouse.local import metastore

        metastore.ensure(lakehouse_dir())
    builder = SparkSession.builder.appName(app_name).enableHiveSupport()
    for key, value in conf.items():
        builder = builder.config(key, value)
    return builder.getOrCreate()
