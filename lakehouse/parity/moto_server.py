"""A moto server on a free 127.0.0.1 port, and the Terraform overrides that point the AWS
provider at it (written into a workspace copy of the stacks only)."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

LAUNCHER = Path(__file__).resolve().parent / "moto_launcher.py"
ENDPOINT_SERVICES = (
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
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class MotoServer:
    def __init__(self, log_path: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._log = open(log_path, "w")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            [sys.executable, str(LAUNCHER), str(self.port)],
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"moto server exited with {self.proc.returncode}; see {log_path}"
                )
            try:
                urllib.request.urlopen(f"{self.url}/moto-api/", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"moto server did not start; see {log_path}") from None
                time.sleep(0.3)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        self._log.close()

    def override(self, state_path: Path) -> str:
        """A *_override.tf pointing the provider at this server and the state at a file."""
        endpoints = "\n".join(f'    {s:<9} = "{self.url}"' for s in ENDPOINT_SERVICES)
        return f'''# Written by the Terraform tests: provider -> moto server, local state.
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
