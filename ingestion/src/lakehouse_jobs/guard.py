"""Keeps a local run away from real AWS accounts.

Every AWS client of the library is made by `aws_client`, which asks `check_aws_allowed` first.
On Glue the job runs in its account by design. Locally a call is allowed only to a local
endpoint (AWS_ENDPOINT_URL on localhost, e.g. a moto server) or when ALLOW_AWS is set
explicitly; otherwise the run stops and names the profile/account it would have reached.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlparse

from lakehouse_jobs.errors import AwsAccessRefused

LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")


def _endpoint(service: str, environ: Mapping[str, str]) -> str | None:
    return environ.get(f"AWS_ENDPOINT_URL_{service.upper()}") or environ.get("AWS_ENDPOINT_URL")


def is_local_endpoint(service: str, environ: Mapping[str, str]) -> bool:
    endpoint = _endpoint(service, environ)
    return bool(endpoint) and (urlparse(endpoint).hostname or "") in LOCAL_HOSTS


def describe_identity(environ: Mapping[str, str], account_id: str | None = None) -> str:
    """Who the call would run as, from local settings only (asking AWS would be the call)."""
    parts = []
    if environ.get("AWS_PROFILE"):
        parts.append(f"profile {environ['AWS_PROFILE']!r}")
    key = environ.get("AWS_ACCESS_KEY_ID")
    if key:
        parts.append(f"access key {key[:4]}...{key[-4:]}")
    if not parts:
        credentials = Path(environ.get("AWS_SHARED_CREDENTIALS_FILE", "~/.aws/credentials"))
        if credentials.expanduser().is_file():
            parts.append(f"the default profile of {credentials}")
    if account_id:
        parts.append(f"account {account_id}")
    return ", ".join(parts) or "whatever credentials boto3 finds (instance role, SSO cache)"


def check_aws_allowed(service: str, config, environ: Mapping[str, str] | None = None) -> None:
    from lakehouse_jobs.spark import running_on_glue

    environ = os.environ if environ is None else environ
    if running_on_glue() or is_local_endpoint(service, environ) or config.flag("ALLOW_AWS"):
        return
    who = describe_identity(environ, config.get("ACCOUNT_ID"))
    prefix = config.env_prefix
    raise AwsAccessRefused(
        f"refusing to call AWS {service} from a local run: it would reach a real AWS account "
        f"as {who}. Point AWS_ENDPOINT_URL at a local endpoint, or set {prefix}ALLOW_AWS=true "
        f"(or --ALLOW_AWS true) if you really mean to."
    )


def aws_client(service: str, config):
    """A boto3 client, once the guard agrees."""
    check_aws_allowed(service, config)
    import boto3

    region = config.get("AWS_REGION") or os.environ.get("AWS_REGION") or config.domain.region
    # older botocore sends STS to the global endpoint, which a VPC without NAT cannot reach;
    # the regional one has an interface endpoint there
    os.environ.setdefault("AWS_STS_REGIONAL_ENDPOINTS", "regional")
    return boto3.client(service, region_name=region)
