"""The Glue Data Catalog, answered from the Spark catalog (the local Hive metastore) of the
server's Spark session: dbt-glue sees exactly the databases and tables that Spark wrote."""

from __future__ import annotations

import json
import re
import threading

from lakehouse.glue_local import errors

TABLE_TYPES = {"EXTERNAL": "EXTERNAL_TABLE", "MANAGED": "MANAGED_TABLE", "VIEW": "VIRTUAL_VIEW"}
NAME = re.compile(r"^[a-z0-9_-]{1,255}$")
PAGE = 100


def _name(value: str | None, what: str) -> str:
    name = (value or "").lower()  # Glue stores names in lower case
    if not NAME.match(name):
        raise errors.invalid_input(f"{what} {value!r} is not a valid Glue name")
    return name


def _quoted(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _page(items: list, request: dict, key: str) -> dict:
    start = int(request.get("NextToken") or 0)
    size = int(request.get("MaxResults") or PAGE)
    answer = {key: items[start : start + size]}
    if start + size < len(items):
        answer["NextToken"] = str(start + size)
    return answer


class Catalog:
    def __init__(self, spark, account_id: str) -> None:
        self.spark = spark
        self.account_id = account_id
        self.jvm = spark._jvm
        self.external = spark._jsparkSession.sharedState().externalCatalog()
        self.lock = threading.Lock()  # DDL from two requests at once: one at a time, like Glue

    # -- JVM conversions -------------------------------------------------------------------
    def _list(self, seq) -> list:
        return list(self.jvm.scala.collection.JavaConverters.seqAsJavaListConverter(seq).asJava())

    def _dict(self, scala_map) -> dict[str, str]:
        java = self.jvm.scala.collection.JavaConverters.mapAsJavaMapConverter(scala_map).asJava()
        return {str(k): str(v) for k, v in java.items()}

    @staticmethod
    def _option(option) -> str | None:
        return str(option.get()) if option.isDefined() else None

    # -- shapes ----------------------------------------------------------------------------
    def _database(self, name: str) -> dict:
        database = self.external.getDatabase(name)
        return {
            "Name": name,
            "Description": database.description() or "",
            "LocationUri": str(database.locationUri()),
            "Parameters": self._dict(database.properties()),
            "CatalogId": self.account_id,
        }

    def _table(self, database: str, name: str) -> dict:
        table = self.external.getTable(database, name)
        parameters = self._dict(table.properties())
        provider = self._option(table.provider())
        if provider and parameters.get("table_type", "").upper() != "ICEBERG":
            parameters.setdefault("spark.sql.sources.provider", provider)
        partitions = set(self._list(table.partitionColumnNames()))
        fields = json.loads(table.schema().json())["fields"]
        columns = [
            {"Name": f["name"], "Type": _type_name(f["type"]), "Comment": _comment(f)}
            for f in fields
        ]
        answer = {
            "Name": name,
            "DatabaseName": database,
            "TableType": TABLE_TYPES.get(table.tableType().name(), table.tableType().name()),
            "Parameters": parameters,
            "CreateTime": table.createTime() / 1000,
            "StorageDescriptor": {
                "Columns": [c for c in columns if c["Name"] not in partitions],
                "Location": self._option(table.storage().locationUri()) or "",
            },
            "PartitionKeys": [c for c in columns if c["Name"] in partitions],
            "CatalogId": self.account_id,
            "IsRegisteredWithLakeFormation": False,
        }
        description = self._option(table.comment())  # Iceberg's table property `comment`
        if description is not None:
            answer["Description"] = description
        view_text = self._option(table.viewText())
        if view_text is not None:
            answer["ViewOriginalText"] = answer["ViewExpandedText"] = view_text
        return answer

    def _existing_database(self, value: str | None) -> str:
        name = _name(value, "Database")
        if not self.external.databaseExists(name):
            raise errors.not_found(f"Database {name}")
        return name

    def _existing_table(self, database: str | None, table: str | None) -> tuple[str, str]:
        database = self._existing_database(database)
        name = _name(table, "Table")
        if not self.external.tableExists(database, name):
            raise errors.not_found(f"Table {name} in database {database}")
        return database, name

    # -- operations ------------------------------------------------------------------------
    def GetDatabases(self, request: dict) -> dict:
        names = sorted(self._list(self.external.listDatabases()))
        return _page([self._database(n) for n in names], request, "DatabaseList")

    def GetDatabase(self, request: dict) -> dict:
        return {"Database": self._database(self._existing_database(request.get("Name")))}

    def CreateDatabase(self, request: dict) -> dict:
        spec = request.get("DatabaseInput") or {}
        name = _name(spec.get("Name"), "Database")
        with self.lock:
            if self.external.databaseExists(name):
                raise errors.already_exists(f"Database {name}")
            sql = f"create database `{name}`"
            if spec.get("Description"):
                sql += f" comment {_quoted(spec['Description'])}"
            if spec.get("LocationUri"):
                sql += f" location {_quoted(spec['LocationUri'])}"
            self.spark.sql(sql)
        return {}

    def DeleteDatabase(self, request: dict) -> dict:
        with self.lock:
            name = self._existing_database(request.get("Name"))
            self.spark.sql(f"drop database `{name}` cascade")  # Glue deletes the tables too
        return {}

    def GetTables(self, request: dict) -> dict:
        database = self._existing_database(request.get("DatabaseName"))
        names = sorted(self._list(self.external.listTables(database)))
        pattern = request.get("Expression")
        if pattern:  # Glue's Expression is a regular expression on the name
            names = [n for n in names if re.fullmatch(pattern, n)]
        return _page([self._table(database, n) for n in names], request, "TableList")

    def GetTable(self, request: dict) -> dict:
        database, name = self._existing_table(request.get("DatabaseName"), request.get("Name"))
        return {"Table": self._table(database, name)}

    def UpdateTable(self, request: dict) -> dict:
        spec = request.get("TableInput") or {}
        with self.lock:
            database, name = self._existing_table(request.get("DatabaseName"), spec.get("Name"))
            current = self._table(database, name)
            location = (spec.get("StorageDescriptor") or {}).get("Location")
            if location and location != current["StorageDescriptor"]["Location"]:
                raise errors.invalid_input(
                    "glue-local applies UpdateTable's Parameters only; moving a table is "
                    "not emulated"
                )
            wanted = spec.get("Parameters") or {}
            changed = {k: v for k, v in wanted.items() if current["Parameters"].get(k) != v}
            if changed:
                props = ", ".join(f"{_quoted(k)}={_quoted(str(v))}" for k, v in changed.items())
                try:
                    self.spark.sql(f"alter table `{database}`.`{name}` set tblproperties ({props})")
                except Exception as refused:  # e.g. a property Spark reserves (owner, location)
                    raise errors.invalid_input(
                        next(
                            (line for line in str(refused).splitlines() if line.strip()),
                            str(refused),
                        )
                    ) from None
        return {}

    def DeleteTable(self, request: dict) -> dict:
        with self.lock:
            database, name = self._existing_table(request.get("DatabaseName"), request.get("Name"))
            kind = self.external.getTable(database, name).tableType().name()
            self.spark.sql(f"drop {'view' if kind == 'VIEW' else 'table'} `{database}`.`{name}`")
        return {}


def _type_name(spark_type) -> str:
    """A Spark schema JSON type as Glue/Hive writes it: bigint, decimal(15,2), struct<...>."""
    if isinstance(spark_type, str):
        return {"long": "bigint", "integer": "int", "short": "smallint", "byte": "tinyint"}.get(
            spark_type, spark_type
        )
    kind = spark_type["type"]
    if kind == "array":
        return f"array<{_type_name(spark_type['elementType'])}>"
    if kind == "map":
        return f"map<{_type_name(spark_type['keyType'])},{_type_name(spark_type['valueType'])}>"
    fields = ",".join(f"{f['name']}:{_type_name(f['type'])}" for f in spark_type["fields"])
    return f"struct<{fields}>"


def _comment(field: dict) -> str:
    return (field.get("metadata") or {}).get("comment", "")
