"""What a Spark statement touches, as the IAM requests AWS would check (lakehouse.glue_local.
resources says what each needs).

A SQL statement is parsed and analysed by the session's own Spark (without running it): the
analysed plan names every table and view it reads, through views too, and the one it writes.
A statement whose plan holds a command this module does not know is refused (fail closed),
naming the command: see KNOWN_COMMANDS.
"""

from __future__ import annotations

import contextlib

from lakehouse.glue_local.iam import Request
from lakehouse.glue_local.resources import (
    Resources,
    TableRef,
    database_requests,
    read_requests,
    write_requests,
)

# -- Spark plans ---------------------------------------------------------------------------
READ_COMMANDS = {  # commands that only look: their table or namespace children are reads
    "DescribeRelation", "DescribeTableCommand", "DescribeColumn", "DescribeColumnCommand",
    "ShowTables", "ShowTablesCommand", "ShowTableExtended", "ShowCreateTable",
    "ShowCreateTableCommand", "ShowPartitions", "ShowPartitionsCommand", "ShowTableProperties",
    "ShowTablePropertiesCommand", "ShowColumns", "ShowColumnsCommand", "DescribeNamespace",
    "ShowNamespaces", "ShowViews", "RefreshTable", "RefreshTableCommand",
    "SetCatalogAndNamespace", "SetCommand", "ResetCommand", "ShowFunctions",
    "DescribeFunction", "ShowCatalogs", "SetNamespaceCommand", "ShowTablesExtended",
    "DropTempViewCommand",  # a session's own temporary view: nothing in the catalog
}  # fmt: skip
ALTER_COMMANDS = {  # commands that change an existing table in place
    "SetTableProperties", "UnsetTableProperties", "AlterTableSetPropertiesCommand",
    "AlterTableUnsetPropertiesCommand", "AlterTableAddPartitionCommand",
    "AlterTableDropPartitionCommand", "AlterTableRenamePartitionCommand",
    "AlterTableSetLocationCommand", "SetTableLocation", "AddColumns", "AlterColumn",
    "DropColumns", "RenameColumn", "ReplaceColumns", "AlterTableAddColumnsCommand",
    "AlterTableChangeColumnCommand", "AddPartitions", "DropPartitions", "RenamePartitions",
    "RepairTable", "RepairTableCommand", "AnalyzeTable", "AnalyzeTableCommand",
    "AnalyzeColumn", "AnalyzeColumnCommand", "TruncateTable", "TruncateTableCommand",
    "CreateOrReplaceBranch", "CreateOrReplaceTag", "DropBranch", "DropTag",
    "SetWriteDistributionAndOrdering", "AddPartitionField", "DropPartitionField",
    "ReplacePartitionField", "SetIdentifierFields", "DropIdentifierFields",
}  # fmt: skip
V2_WRITES = {"AppendData", "OverwriteByExpression", "OverwritePartitionsDynamic",
             "ReplaceData", "WriteDelta"}  # fmt: skip
CREATES = {"CreateTableAsSelect", "CreateTable", "ReplaceTableAsSelect", "ReplaceTable"}
RELATIONS = {"DataSourceV2Relation", "DataSourceV2ScanRelation", "HiveTableRelation",
             "LogicalRelation", "View"}  # fmt: skip
HARMLESS = {"CreateNamespace", "DropNamespace", "CreateViewCommand", "CreateView",
            "CreateIcebergView", "DropTable", "DropTableCommand", "DropView",
            "DropIcebergView", "InsertIntoHadoopFsRelationCommand", "InsertIntoHiveTable",
            "CreateDataSourceTableAsSelectCommand", "CreateDataSourceTableCommand",
            "CreateTableCommand", "CreateHiveTableAsSelectCommand", "Call"}  # fmt: skip
# The catalog action of a command that looks at a database (others: glue:GetDatabase).
NAMESPACE_LOOKS = {
    "ShowTables": "glue:GetTables",
    "ShowViews": "glue:GetTables",
    "ShowTableExtended": "glue:GetTables",
    "ShowNamespaces": "glue:GetDatabases",
}
RESOLVED = {"ResolvedTable", "ResolvedIdentifier", "ResolvedPersistentView",
            "ResolvedViewIdentifier", "ResolvedV1TableIdentifier"}  # fmt: skip
KNOWN_COMMANDS = READ_COMMANDS | ALTER_COMMANDS | V2_WRITES | CREATES | HARMLESS


class UnknownCommand(Exception):
    """A plan node glue-local cannot map to IAM requests: the statement is refused."""


class PlanAccess:
    """The tables one analysed Spark plan reads and writes, as IAM requests."""

    def __init__(self, spark, resources: Resources) -> None:
        self.spark = spark
        self.jvm = spark._jvm
        self.resources = resources
        self.requests: list[Request] = []  # what it reads and looks at
        self.writes: list[Request] = []  # what it changes, in the order a commit asks

    # -- py4j helpers ------------------------------------------------------------------
    @staticmethod
    def _list(seq) -> list:
        """A Scala Seq as a list: two py4j calls plus one per element (every call counts: a
        statement's plan is walked before it runs)."""
        return [seq.apply(i) for i in range(seq.size())]

    @staticmethod
    def _option(option):
        return option.get() if option is not None and option.isDefined() else None

    def _children(self, node) -> list:
        """The node's children and the plans of its subquery expressions (EXISTS, IN, ...)."""
        return self._list(node.children()) + self._list(node.subqueries())

    def _skip(self):
        """CommandExecutionMode.SKIP: analyse a command without running it."""
        mode = getattr(self.jvm.org.apache.spark.sql.execution, "CommandExecutionMode$")
        return getattr(mode, "MODULE$").SKIP()

    # -- entry point -------------------------------------------------------------------
    def of_sql(self, sql: str) -> list[Request]:
        state = self.spark._jsparkSession.sessionState()
        plan = state.sqlParser().parsePlan(sql)
        analysed = state.executePlan(plan, self._skip()).analyzed()
        self.walk(analysed)
        # Reads come first, as on AWS: a CTAS reads its source before it commits the table.
        return self.requests + self.writes

    def walk(self, node) -> None:
        kind = node.getClass().getSimpleName()
        written = None
        if kind in RELATIONS:
            self._read(node, kind)
        elif kind in READ_COMMANDS:
            self._look(node)
        elif kind in KNOWN_COMMANDS:
            written = self._command(node, kind)
        elif kind.endswith("Command") or kind.startswith(("Alter", "Create", "Drop", "Show")):
            raise UnknownCommand(f"glue-local cannot tell which tables {kind} touches")
        children = self._children(node)
        if written is not None or kind in KNOWN_COMMANDS:
            # an analysed command keeps its query as an inner child (CREATE VIEW ... AS)
            children += self._list(node.innerChildren())
        for child in children:
            if written is not None and child.equals(written):
                continue  # the write target is not also a read (MERGE's target is, as a child)
            self.walk(child)

    # -- relations (reads) -------------------------------------------------------------
    def _read(self, node, kind: str) -> None:
        table = self._relation_table(node, kind)
        if table is not None:
            self.requests += read_requests(self.resources, table)

    def _relation_table(self, node, kind: str) -> TableRef | None:
        if kind == "View":
            if node.isTempView():
                return None  # the session's own; what it reads is checked below it
            return self._catalog_table(node.desc(), "view")
        if kind == "HiveTableRelation":
            return self._catalog_table(node.tableMeta(), "hive")
        if kind == "LogicalRelation":
            meta = self._option(node.catalogTable())
            if meta is not None:
                return self._catalog_table(meta, "hive")
            for path in self._list(node.relation().location().rootPaths()):
                self.requests.append(Request("s3:GetObject", self.resources.objects(str(path))))
            return None
        return self._v2_table(node)

    def _catalog_table(self, meta, kind: str) -> TableRef:
        ident = meta.identifier()
        database = self._option(ident.database()) or "default"
        location = None if kind == "view" else str(meta.location())
        return TableRef(str(database), str(ident.table()), location, kind)

    def _v2_table(self, relation) -> TableRef | None:
        """A DataSourceV2 relation: Iceberg (metadata tables and branches read the base)."""
        ident = self._option(relation.identifier())
        if ident is None:
            return None
        namespace = list(ident.namespace())
        if len(namespace) == 2:  # db.table.snapshots, db.table.branch_audit, ...
            database, name = namespace
        else:
            database, name = (namespace[-1] if namespace else "default"), ident.name()
        return TableRef(str(database), str(name), self._v2_location(relation.table()))

    @staticmethod
    def _v2_location(table) -> str | None:
        """An Iceberg table's location; row-level operations (MERGE, DELETE) wrap the table
        once more (RowLevelOperationTable), metadata tables answer their base table's."""
        for _ in range(3):
            with contextlib.suppress(Exception):
                return str(table.location())  # org.apache.iceberg.Table
            try:
                table = table.table()
            except Exception:
                break
        location = table.properties().get("location")
        return None if location is None else str(location)

    # -- commands (writes) -------------------------------------------------------------
    def _command(self, node, kind: str):
        """Adds the requests of a command; returns the child that is its write target."""
        if kind in V2_WRITES:
            target = node.table()
            table = self._relation_table(target, target.getClass().getSimpleName())
            if table is not None:
                self.writes += write_requests(self.resources, table, "glue:UpdateTable")
            return target
        if kind in CREATES:
            return self._create(node, kind)
        if kind in ("CreateNamespace", "DropNamespace"):
            resolved = node.name() if kind == "CreateNamespace" else node.namespace()
            database = ".".join(self._list(resolved.namespace()))
            action = "glue:CreateDatabase" if kind == "CreateNamespace" else "glue:DeleteDatabase"
            self.writes += database_requests(self.resources, action, database)
            return resolved
        if kind in ("DropTable", "DropView", "DropIcebergView", "DropTableCommand"):
            if self._temporary(node):
                return None  # a session's temporary view: not in the catalog
            name = self._named(node)
            existing = self.existing(name)
            if existing is None:
                # DROP ... IF EXISTS of a missing table: Spark looks it up and deletes nothing
                self.requests += read_requests(self.resources, name)
            else:
                self.writes += write_requests(self.resources, existing, "glue:DeleteTable")
            return None
        if kind in ("CreateViewCommand", "CreateView", "CreateIcebergView"):
            if kind == "CreateViewCommand" and str(node.viewType()) != "PersistedView":
                return None  # `create temporary view`: the session's own, not the catalog's
            name = self._named(node)
            action = "glue:UpdateTable" if self.existing(name) else "glue:CreateTable"
            view = TableRef(name.database, name.name, None, "view")
            self.writes += write_requests(self.resources, view, action)
            return None
        if kind in ("InsertIntoHadoopFsRelationCommand", "InsertIntoHiveTable"):
            meta = node.table() if kind == "InsertIntoHiveTable" else node.catalogTable()
            meta = meta if kind == "InsertIntoHiveTable" else self._option(meta)
            if meta is not None:
                table = self._catalog_table(meta, "hive")
                self.writes += write_requests(self.resources, table, "glue:UpdateTable")
            else:
                path = str(node.outputPath())
                self.writes.append(Request("s3:PutObject", self.resources.objects(path)))
            return None
        if kind in ("CreateDataSourceTableAsSelectCommand", "CreateDataSourceTableCommand",
                    "CreateTableCommand", "CreateHiveTableAsSelectCommand"):  # fmt: skip
            meta = node.tableDesc() if kind == "CreateHiveTableAsSelectCommand" else node.table()
            table = self._catalog_table(meta, "hive")
            action = "glue:UpdateTable" if self.existing(table) else "glue:CreateTable"
            self.writes += write_requests(self.resources, table, action)
            return None
        if kind == "Call":
            return self._call(node)
        if kind in ALTER_COMMANDS:
            name = self._named(node)
            table = self.existing(name) or name
            self.writes += write_requests(self.resources, table, "glue:UpdateTable")
            return None
        return None

    def _look(self, node) -> None:
        """A command that only looks at the catalog: the table or database it names."""
        for child in self._list(node.children()):
            kind = child.getClass().getSimpleName()
            if kind == "ResolvedNamespace":
                namespace = ".".join(self._list(child.namespace())) or None
                action = NAMESPACE_LOOKS.get(node.getClass().getSimpleName(), "glue:GetDatabase")
                if namespace is None:
                    action = "glue:GetDatabases"
                self.requests += database_requests(self.resources, action, namespace)
            elif kind.startswith("Resolved") and hasattr(child, "identifier"):
                table = self._resolved(child)
                self.requests += [
                    Request("glue:GetTable", arn)
                    for arn in self.resources.catalog_path(table.database, table.name)
                ]
        try:
            database = self._option(node.databaseName())  # SHOW TABLES (v1)
        except Exception:
            return
        if database is not None:
            self.requests += database_requests(self.resources, "glue:GetTables", str(database))

    def _create(self, node, kind: str):
        ident = node.name()
        table = self._resolved(ident)
        location = self._option(node.tableSpec().location())
        existing = self.existing(table)
        if location is None:  # the table's, or the database's default for a new table
            location = existing.location if existing else self._default_location(table)
        table = TableRef(table.database, table.name, location and str(location))
        action = "glue:UpdateTable" if existing is not None else "glue:CreateTable"
        self.writes += write_requests(self.resources, table, action)
        return ident

    def _call(self, node):
        """An Iceberg procedure (expire_snapshots, rewrite_data_files, fast_forward, ...): it
        rewrites the table named by its `table` argument."""
        for arg in self._list(node.args()):
            try:
                value = str(arg.eval(None))
            except Exception:  # noqa: S112 - not a literal
                continue
            if "." in value:
                database, name = value.split(".")[-2:]
                existing = self.existing(TableRef(database, name))
                table = existing or TableRef(database, name)
                self.requests += read_requests(self.resources, table)
                self.writes += write_requests(self.resources, table, "glue:UpdateTable")
                return None
        raise UnknownCommand("glue-local cannot tell which table this CALL changes")

    def _named(self, node) -> TableRef:
        """The table a command names (database and name only): a Resolved* child, or a
        TableIdentifier field."""
        for child in self._list(node.children()):
            if child.getClass().getSimpleName() in RESOLVED:
                return self._resolved(child)
        for field_name in ("tableName", "name", "tableIdent"):
            try:
                ident = getattr(node, field_name)()
                database = self._option(ident.database()) or "default"
                return TableRef(str(database), str(ident.table()))
            except Exception:  # noqa: S112 - the command has no such field
                continue
        try:  # Iceberg's branch and tag commands name the table by its parts
            parts = [str(part) for part in self._list(node.table())]
        except Exception:  # the command has no such field
            parts = []
        if len(parts) >= 2:
            return TableRef(parts[-2], parts[-1])
        raise UnknownCommand(
            f"glue-local cannot tell which table {node.getClass().getSimpleName()} changes"
        )

    def _default_location(self, table: TableRef) -> str | None:
        """Where a new table without a location goes: its database's location / its name."""
        external = self.spark._jsparkSession.sharedState().externalCatalog()
        if not external.databaseExists(table.database):
            return None
        root = str(external.getDatabase(table.database).locationUri()).rstrip("/")
        return f"{root}/{table.name}"

    def _temporary(self, node) -> bool:
        """A DROP VIEW of a session's temporary view (an unqualified name it holds)."""
        try:
            ident = node.tableName()
        except Exception:
            return False
        if self._option(ident.database()) is not None:
            return False
        catalog = self.spark._jsparkSession.sessionState().catalog()
        return bool(catalog.getTempView(ident.table()).isDefined())

    @staticmethod
    def _resolved(child) -> TableRef:
        ident = child.identifier()
        namespace = list(ident.namespace())
        return TableRef(str(namespace[-1]) if namespace else "default", str(ident.name()))

    def existing(self, table: TableRef) -> TableRef | None:
        """The table as the catalog has it (its location and kind), or None when absent."""
        external = self.spark._jsparkSession.sharedState().externalCatalog()
        if not external.tableExists(table.database, table.name):
            return None
        meta = external.getTable(table.database, table.name)
        kind_name = meta.tableType().name()
        if kind_name == "VIEW":
            return TableRef(table.database, table.name, None, "view")
        table_type = self._option(meta.properties().get("table_type"))
        iceberg = str(table_type or "").upper() == "ICEBERG"
        location = self._option(meta.storage().locationUri())
        return TableRef(table.database, table.name, location and str(location),
                        "iceberg" if iceberg else "hive")  # fmt: skip
