"""Routes dbt-glue's docs catalog through the project's `glue__get_catalog` macro.

dbt-glue 1.10 builds the catalog in Python (GlueAdapter.get_catalog) from the FIRST schema only,
with the schema as database, and calls no macro, so a macro alone cannot fix it. `install()`
replaces that method with one that asks the `get_catalog` macro (dispatched to the project's
macros/adapters/glue_get_catalog.sql) for every schema, the way dbt-spark does. Call it before
`dbt docs generate` runs in this process (lakehouse.docs.site does).
"""

from __future__ import annotations


def _catalog_of(adapter, information_schema, schemas):
    import agate
    from dbt_common.clients.agate_helper import DEFAULT_TYPE_TESTER

    rows = adapter.execute_macro(
        "get_catalog", kwargs={"information_schema": information_schema, "schemas": schemas}
    )
    return agate.Table.from_object(list(rows or []), column_types=DEFAULT_TYPE_TESTER)


def _get_catalog(self, relation_configs, used_schemas):
    from dbt.adapters.base.impl import catch_as_completed
    from dbt_common.utils.executor import executor

    schema_map = self._get_catalog_schemas(relation_configs)
    with executor(self.config) as pool:
        futures = [
            pool.submit_connected(self, "catalog", _catalog_of, self, info, schemas)
            for info, schemas in schema_map.items()
            if schemas
        ]
        return catch_as_completed(futures)


def install() -> bool:
    """Patches dbt-glue if it is installed; True when it did."""
    try:
        from dbt.adapters.glue.impl import GlueAdapter
    except ImportError:
        return False
    GlueAdapter.get_catalog = _get_catalog
    return True
