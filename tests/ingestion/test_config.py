"""Configuration: overrides > CMR_* environment > CONFIG_PATH file > domain defaults; lazy."""

import subprocess
import sys

import pytest
from lakehouse_jobs.config import Config, job_config
from lakehouse_jobs.domain import load_domain
from lakehouse_jobs.errors import ConfigError


@pytest.fixture
def config_file(tmp_path):
    path = tmp_path / "job.yml"
    path.write_text("ENV: int\nRAW_DATABASE: from_file\nMAX_REJECT_RATIO: 0.2\nBATCH_ID: b-file\n")
    return path


def test_each_source_wins_over_the_ones_below_it(config_file):
    environ = {
        "CONFIG_PATH": str(config_file),
        "CMR_RAW_DATABASE": "from_env",
        "CMR_BATCH_ID": "b-env",
    }
    config = Config({"BATCH_ID": "b-override"}, environ, load_domain())
    assert (config.get("BATCH_ID"), config.source_of("BATCH_ID")) == ("b-override", "override")
    assert (config.get("RAW_DATABASE"), config.source_of("RAW_DATABASE")) == ("from_env", "env")
    assert (config.get("MAX_REJECT_RATIO"), config.source_of("MAX_REJECT_RATIO")) == ("0.2", "file")
    assert config.get("ENV") == "int"


def test_defaults_derive_from_the_domain():
    config = Config({"PROJECT": "sales"}, {}, load_domain())
    assert config.get("RAW_DATABASE") == "cmr_raw"
    assert config.get("RUN_LOG_TABLE") == "cmr_raw.sales___ingestion_runs"
    assert config.get("ENV") == "local" and config.source_of("ENV") == "default"
    assert config.number("MAX_REJECT_RATIO") == 0.05
    assert config.get("NOT_A_KEY", "fallback") == "fallback"


def test_the_environment_prefix_is_the_domain_abbreviation():
    config = Config({}, {"ENV": "prod", "CMR_ENV": "dev", "XYZ_ENV": "int"}, load_domain())
    assert config.env_prefix == "CMR_"
    assert config.get("ENV") == "dev"


def test_glue_arguments_override_the_environment():
    config = job_config(["script.py", "--ENV", "dev", "--BATCH_ID=2024-01-01"])
    assert config.get("ENV") == "dev" and config.source_of("ENV") == "override"
    assert config.get("BATCH_ID") == "2024-01-01"


def test_the_config_file_may_itself_be_named_by_an_override(config_file):
    config = Config({"CONFIG_PATH": str(config_file)}, {}, load_domain())
    assert config.get("RAW_DATABASE") == "from_file"


def test_a_missing_required_key_says_every_way_to_set_it():
    with pytest.raises(
        ConfigError, match=r"BATCH_ID is not set: pass --BATCH_ID <value>, set CMR_BATCH_ID"
    ):
        Config({}, {}, load_domain()).require("BATCH_ID")


def test_a_config_file_that_is_not_there_fails_when_read_not_when_built(tmp_path):
    config = Config({}, {"CONFIG_PATH": str(tmp_path / "missing.yml")}, load_domain())
    with pytest.raises(ConfigError, match=r"missing\.yml, which is not a file"):
        config.get("ENV")


def test_importing_reads_nothing_and_calls_nothing(tmp_path):
    # importing with an unreadable CONFIG_PATH, no checkout and no network must succeed
    code = (
        "import socket, builtins\n"
        "def refuse(*a, **k): raise AssertionError('network or file access at import')\n"
        "socket.socket.connect = refuse\n"
        "real_open = builtins.open\n"
        "import lakehouse_jobs.config, lakehouse_jobs.glue_args, lakehouse_jobs.guard\n"
        "builtins.open = refuse\n"
        "lakehouse_jobs.config.Config()\n"
        "print('ok')\n"
    )
    env = {"CONFIG_PATH": str(tmp_path / "nope.yml"), "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env={**env, "PYTHONPATH": sys.path[0]},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.stdout.strip() == "ok", done.stderr
