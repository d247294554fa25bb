#!/usr/bin/env python3
"""The dbt-glue environment of a deployment's dbt run as one project (deploy.yml's dbt docs),
from domain.yml's naming rules (the same names the project stack gives its role, buckets and
sessions; docs/naming.md).

    dbt_env.py <environment> <account id> <project>      prints KEY=value lines for $GITHUB_ENV

DBT_GLUE_ROLE_ARN: the project's session role (the only one that may write its prefixes);
DBT_GLUE_LOCATION: the project's prefix of the refined bucket (the profile's location, where
dbt-glue's own temporary tables land); DBT_GLUE_SESSION_ID: a session of the project's
scheduled build, <abbr>-<env>-<project>-dbt__deploy (its dbt-caller policy runs only
<abbr>-<env>-<project>-dbt and its __ sessions); RAW_DATABASE: where the project's raw tables
are (`<project>__*`).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "ingestion" / "src"))

from lakehouse_jobs.domain import load_domain


def dbt_env(environment: str, account: str, project: str) -> dict[str, str]:
    if not re.fullmatch(r"\d{12}", account):
        raise ValueError(f"account id must be 12 digits, got {account!r}")
    if not re.fullmatch(r"[a-z][a-z0-9_]{1,29}", project):
        raise ValueError(f"not a project name: {project!r}")
    domain = load_domain()
    role = domain.role(environment, project, "dbt-session")
    return {
        "DBT_GLUE_ROLE_ARN": f"arn:aws:iam::{account}:role/{role}",
        "DBT_GLUE_LOCATION": f"s3://{domain.bucket('refined', environment, account)}/{project}/",
        "DBT_GLUE_SESSION_ID": f"{domain.abbreviation}-{environment}-{project}-dbt__deploy",
        "RAW_DATABASE": domain.database("raw"),
    }


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    for key, value in dbt_env(*argv).items():
        print(f"{key}={value}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
