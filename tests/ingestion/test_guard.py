"""The AWS guard: a local run never reaches a real account unless told to."""

import json

import boto3
import pytest
from lakehouse_jobs import guard
from lakehouse_jobs.config import Config
from lakehouse_jobs.domain import load_domain
from lakehouse_jobs.errors import AwsAccessRefused, ConfigError
from lakehouse_jobs.jdbc_job import jdbc_source
from moto import mock_aws


def config(**overrides):
    return Config(overrides, {}, load_domain())


def test_a_local_run_with_a_profile_is_refused_and_names_it(monkeypatch):
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    environ = {"AWS_PROFILE": "prod-admin", "AWS_ACCESS_KEY_ID": "AKIAABCDEFGHIJKL1234"}
    with pytest.raises(AwsAccessRefused) as refused:
        guard.check_aws_allowed("secretsmanager", config(ACCOUNT_ID="123456789012"), environ)
    message = str(refused.value)
    assert "profile 'prod-admin'" in message and "AKIA...1234" in message
    assert "account 123456789012" in message and "CMR_ALLOW_AWS=true" in message


def test_a_local_endpoint_is_allowed():
    environ = {"AWS_PROFILE": "x", "AWS_ENDPOINT_URL": "http://127.0.0.1:5000"}
    guard.check_aws_allowed("sts", config(), environ)
    remote = {"AWS_ENDPOINT_URL_STS": "https://sts.amazonaws.com"}
    with pytest.raises(AwsAccessRefused):
        guard.check_aws_allowed("sts", config(), remote)


def test_an_explicit_allow_lets_the_call_through():
    guard.check_aws_allowed("sts", config(ALLOW_AWS="true"), {"AWS_PROFILE": "x"})


def test_on_glue_the_job_account_is_the_point(monkeypatch):
    monkeypatch.setenv("GLUE_VERSION", "5.0")
    guard.check_aws_allowed("sts", config(), {"AWS_PROFILE": "x"})


def test_glue_is_recognised_by_its_runtime_package(monkeypatch, tmp_path):
    from lakehouse_jobs.spark import running_on_glue

    for name in ("GLUE_VERSION", "GLUE_PYTHON_VERSION"):
        monkeypatch.delenv(name, raising=False)
    assert not running_on_glue()
    (tmp_path / "awsglue").mkdir()
    (tmp_path / "awsglue" / "__init__.py").write_text("")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert running_on_glue()


def test_a_secret_name_is_refused_locally_before_any_call(monkeypatch):
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    monkeypatch.setenv("AWS_PROFILE", "someone")
    with pytest.raises(AwsAccessRefused, match="profile 'someone'"):
        jdbc_source(config(CRM_SECRET_NAME="cmr/crm"), "crm")


@mock_aws
def test_jdbc_credentials_come_from_secrets_manager_when_named(monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    secret = {
        "username": "reader",
        "password": "s3cret",
        "host": "crm.internal",
        "port": 5432,
        "dbname": "crm",
    }
    boto3.client("secretsmanager", region_name="eu-west-1").create_secret(
        Name="cmr/crm", SecretString=json.dumps(secret)
    )
    source = jdbc_source(config(CRM_SECRET_NAME="cmr/crm", ALLOW_AWS="true"), "crm")
    assert (source.url, source.user, source.password) == (
        "jdbc:postgresql://crm.internal:5432/crm",
        "reader",
        "s3cret",
    )
    assert source.location == "postgresql://crm.internal:5432/crm"


def test_a_secret_file_holds_the_same_json_as_the_secret_and_is_read_at_every_call(tmp_path):
    secret = tmp_path / "secret.json"
    values = {"username": "reader", "password": "old", "jdbc_url": "jdbc:postgresql://h:5/crm"}
    secret.write_text(json.dumps(values))
    named = config(CRM_SECRET_FILE=str(secret), CRM_JDBC_URL="jdbc:postgresql://other:5/x")
    source = jdbc_source(named, "crm")
    assert (source.url, source.user, source.password) == (values["jdbc_url"], "reader", "old")
    assert source.origin == f"file {secret}"
    secret.write_text(json.dumps({**values, "password": "rotated"}))
    assert jdbc_source(named, "crm").password == "rotated"
    with pytest.raises(ConfigError, match=r"CRM_SECRET_FILE: cannot read .*missing\.json"):
        jdbc_source(config(CRM_SECRET_FILE=str(tmp_path / "missing.json")), "crm")


def test_without_a_secret_the_credentials_come_from_configuration():
    source = jdbc_source(
        config(CRM_JDBC_URL="jdbc:postgresql://127.0.0.1:5/crm", CRM_USER="u", CRM_PASSWORD="p"),
        "crm",
    )
    assert (source.user, source.password) == ("u", "p")


@mock_aws
def test_on_aws_the_secret_defaults_to_the_project_folder_the_job_role_may_read(monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("GLUE_VERSION", "5.0")  # running on Glue: ENV defaults to dev
    secret = {"username": "reader", "password": "pw", "jdbc_url": "jdbc:postgresql://crm:5432/c"}
    boto3.client("secretsmanager", region_name="eu-west-1").create_secret(
        Name="cmr/dev/customers/crm", SecretString=json.dumps(secret)
    )
    source = jdbc_source(config(PROJECT="customers"), "crm")
    assert (source.url, source.user) == ("jdbc:postgresql://crm:5432/c", "reader")
