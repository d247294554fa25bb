"""A moto server (an offline AWS) on a free 127.0.0.1 port, and the Terraform override that
points the AWS provider at it (written into a workspace copy of the stacks only, never into
the checkout).

    with MotoServer(log_path) as moto:
        (root / "moto_override.tf").write_text(moto.override(state_path))

The server is lakehouse/parity/moto_launcher.py: moto, patched for the calls Terraform's AWS
provider makes. The Terraform tests apply the stacks against it; `make parity` plans them
against it (lakehouse.parity.aws_plan) to render the IAM policies glue-local enforces.
"""

from __future__ import annotations

import http.client
import socket
import subprocess
import sys
import time
from pathlib import Path

LAUNCHER = Path(__file__).resolve().parent / "moto_launcher.py"
HOST = "127.0.0.1"
REGION = "eu-west-1"
ENDPOINT_SERVICES = (
    "cloudfront",
    "cloudwatch",
    "codebuild",
    "ec2",
    "events",
    "glue",
    "iam",
    "kms",
    "logs",
    "s3",
    "sfn",
    "sns",
    "sts",
)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def _answers(port: int) -> bool:
    connection = http.client.HTTPConnection(HOST, port, timeout=2)
    try:
        connection.request("GET", "/moto-api/")
        return connection.getresponse().status < 500
    except OSError:
        return False
    finally:
        connection.close()


class MotoServer:
    def __init__(self, log_path: Path, timeout: float = 60):
        self.port = free_port()
        self.url = f"http://{HOST}:{self.port}"
        self._log = open(log_path, "w")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            [sys.executable, str(LAUNCHER), str(self.port)],
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while not _answers(self.port):
            if self.proc.poll() is not None:
                self._log.close()
                raise RuntimeError(
                    f"moto server exited with {self.proc.returncode}; see {log_path}"
                )
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"moto server did not start; see {log_path}")
            time.sleep(0.3)

    def __enter__(self) -> MotoServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        self._log.close()

    def client(self, service: str):
        """A boto3 client of this server (dummy credentials, the domain's region)."""
        import boto3

        return boto3.client(
            service,
            endpoint_url=self.url,
            region_name=REGION,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",  # noqa: S106 - moto's dummy credentials
        )

    def override(self, state_path: Path) -> str:
        """A *_override.tf pointing the provider at this server and the state at a file."""
        endpoints = "\n".join(f'    {s:<10} = "{self.url}"' for s in ENDPOINT_SERVICES)
        return f'''# Written by lakehouse.parity.moto_server: provider -> moto server, local state.
terraform {{
  backend "local" {{
    path = "{state_path}"
  }}
}}

provider "aws" {{
  access_key                  = "testing"
  secret_key                  = "testing"
  skip_credentials_validation = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
  skip_requesting_account_id  = false
  s3_use_path_style           = true
  max_retries                 = 2

  endpoints {{
{endpoints}
  }}
}}
'''
