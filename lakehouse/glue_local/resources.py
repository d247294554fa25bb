"""The IAM requests of glue-local's operations: the ARNs of one account's Glue Data Catalog
and sessions, the local folder that stands for S3, and what reading, writing and creating a
table or a database needs (AWS's rules: an operation on a catalog object needs the object and
all its ancestors; listing and deleting a database, its tables too).

  read a table        glue:GetTable on the catalog, its database and the table;
                      s3:GetObject on the table's objects (and s3:ListBucket on its prefix for
                      a Hive/Parquet table, whose folders Spark lists)
  write a table       glue:CreateTable (new) or glue:UpdateTable (existing) or
                      glue:DeleteTable (drop); s3:PutObject on its objects (not for views)
  create a database   glue:CreateDatabase

Storage: glue-local keeps what stands for S3 in one folder, `<s3 root>/<bucket>/<key>`, so a
table at `<s3 root>/ie-cmr-dev-refined-123456789012/sales/orders` is the object prefix
`arn:aws:s3:::ie-cmr-dev-refined-123456789012/sales/orders`. A location outside that folder
maps to a bucket no policy names (`glue-local-outside-s3`): on AWS it would be outside every
bucket of the domain.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lakehouse.glue_local.iam import Request

REGION = "eu-west-1"  # glue-local's region and account
ACCOUNT_ID = "123456789012"
S3_ROOT = "s3"  # <lakehouse dir>/s3/<bucket>/<key> stands for S3
OUTSIDE = "glue-local-outside-s3"


@dataclass(frozen=True)
class Resources:
    """ARNs of one account and region, and the local folder that stands for S3."""

    account_id: str
    region: str
    s3_root: Path

    # -- Glue Data Catalog (every operation needs the resource and all its ancestors) ------
    def catalog(self) -> str:
        return f"arn:aws:glue:{self.region}:{self.account_id}:catalog"

    def database(self, name: str) -> str:
        return f"arn:aws:glue:{self.region}:{self.account_id}:database/{name}"

    def table(self, database: str, name: str) -> str:
        return f"arn:aws:glue:{self.region}:{self.account_id}:table/{database}/{name}"

    def session(self, session_id: str) -> str:
        return f"arn:aws:glue:{self.region}:{self.account_id}:session/{session_id}"

    def catalog_path(self, database: str | None = None, table: str | None = None) -> list[str]:
        """The ARNs an operation on a database or table needs: it and its ancestors."""
        found = [self.catalog()]
        if database:
            found.append(self.database(database))
        if database and table:
            found.append(self.table(database, table))
        return found

    # -- S3 --------------------------------------------------------------------------------
    def s3_location(self, location: str) -> tuple[str, str]:
        """(bucket, key prefix) of a local location, as it would be on S3."""
        path = Path(location.removeprefix("file://").removeprefix("file:")).absolute()
        try:
            parts = path.relative_to(self.s3_root.absolute()).parts
        except ValueError:
            return OUTSIDE, path.as_posix().lstrip("/")
        if not parts:
            return OUTSIDE, ""
        return parts[0], "/".join(parts[1:])

    def objects(self, location: str) -> str:
        bucket, key = self.s3_location(location)
        return f"arn:aws:s3:::{bucket}/{key}/*" if key else f"arn:aws:s3:::{bucket}/*"


@dataclass(frozen=True)
class TableRef:
    database: str
    name: str
    location: str | None = None
    kind: str = "iceberg"  # iceberg | hive (Parquet: Spark lists its folders) | view


def read_requests(resources: Resources, table: TableRef) -> list[Request]:
    found = [
        Request("glue:GetTable", arn) for arn in resources.catalog_path(table.database, table.name)
    ]
    if table.location and table.kind != "view":
        found.append(Request("s3:GetObject", resources.objects(table.location)))
        if table.kind == "hive":
            bucket, key = resources.s3_location(table.location)
            found.append(
                Request("s3:ListBucket", f"arn:aws:s3:::{bucket}", {"s3:prefix": f"{key}/"})
            )
    return found


def write_requests(resources: Resources, table: TableRef, action: str) -> list[Request]:
    """action: glue:CreateTable, glue:UpdateTable or glue:DeleteTable. Every write looks the
    table up first, and an Iceberg commit reads the table's current metadata."""
    found = [
        Request("glue:GetTable", arn) for arn in resources.catalog_path(table.database, table.name)
    ]
    found += [Request(action, arn) for arn in resources.catalog_path(table.database, table.name)]
    if table.location and table.kind != "view" and action != "glue:DeleteTable":
        found.append(Request("s3:GetObject", resources.objects(table.location)))
        found.append(Request("s3:PutObject", resources.objects(table.location)))
    return found


def database_requests(resources: Resources, action: str, database: str | None) -> list[Request]:
    """An action on a database: it and the catalog; listing or deleting its tables also needs
    every table of it (AWS checks children for plural and delete operations)."""
    found = [Request(action, arn) for arn in resources.catalog_path(database)]
    if database and action in ("glue:GetTables", "glue:DeleteDatabase"):
        found.append(Request(action, resources.table(database, "*")))
    return found
