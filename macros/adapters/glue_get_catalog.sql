{#- The docs catalog of a dbt-glue target: every table and view of EVERY schema the project
    uses, with its columns. dbt-glue's own catalog describes only the first schema and labels
    its rows with the schema as database, so a project spread over staging/refined/curated/...
    gets a catalog.json without nodes. Rows carry the database dbt's nodes carry (the
    information schema's), so that dbt matches them to the models, seeds and sources.

    dbt-glue 1.10 computes its catalog in Python without calling any macro:
    lakehouse/docs/glue_catalog.py routes it here (`make docs TARGET=dev`, or
    `python -m lakehouse.docs.site generate --target <target>` in CI). -#}

{% macro glue__get_catalog(information_schema, schemas) -%}
    {#- The relations of the project (models, seeds, snapshots, sources) in the given schemas,
        looked up like dbt-glue's materializations do (one GetTables per schema, cached). -#}
    {%- set wanted = schemas | map('lower') | list -%}
    {%- set rows = [] -%}
    {%- for node in (graph.nodes.values() | list) + (graph.sources.values() | list)
            if node.resource_type in ('model', 'seed', 'snapshot', 'source')
            and node.schema | lower in wanted -%}
        {%- set identifier = node.identifier if node.resource_type == 'source' else node.alias -%}
        {%- set relation = adapter.get_relation(node.schema, node.schema, identifier) -%}
        {%- if relation is not none -%}
            {%- for column in adapter.get_columns_in_relation(relation) -%}
                {%- do rows.append({
                    'table_database': information_schema.database,
                    'table_schema': node.schema,
                    'table_name': identifier,
                    'table_type': relation.type | string,
                    'table_comment': none,
                    'table_owner': '',
                    'column_name': column.name,
                    'column_index': loop.index,
                    'column_type': column.dtype,
                    'column_comment': none,
                }) -%}
            {%- endfor -%}
        {%- endif -%}
    {%- endfor -%}
    {{- return(rows) -}}
{%- endmacro %}
