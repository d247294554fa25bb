{#- dbt-glue stages a snapshot of an Iceberg table through create_view_as, which for Iceberg
    creates a TABLE (Glue's Iceberg catalog has no views) without a location: at the database's
    location, outside every project's prefix, where no project role may write (the second run
    of every snapshot is refused on AWS; glue-local's IAM enforcement found it). dbt-glue's
    merge and column lookup read the staging relation by its bare name, so a temporary view of
    the session serves: no catalog entry, no files; glue__snapshot_merge_sql reads it by that
    name. The rest is dbt-glue 1.10.19's glue__create_view_as, unchanged (an adapter's own macro
    cannot be called by its package name from the project). -#}
{% macro glue__create_view_as(relation, sql) -%}
    {%- set contract_config = config.get('contract') -%}
    {%- set file_format = config.get('file_format') or 'parquet' -%}
    {%- if model.resource_type == 'snapshot' and relation.identifier.endswith('__dbt_tmp') -%}
        create or replace temporary view {{ relation.identifier }} as {{ sql }}
    {%- elif file_format == 'iceberg' -%}
        {%- set full_relation = glue__make_target_relation(relation, file_format) -%}
        create or replace table {{ full_relation }}
        using iceberg
        as
        {{ add_iceberg_timestamp_column(sql) }}
    {%- elif file_format == 's3tables' -%}
        {%- set full_relation = glue__make_target_relation(relation, file_format) -%}
        {%- if contract_config.enforced -%}
          {{ get_assert_columns_equivalent(sql) }}
        {%- endif -%}
        create view {{ full_relation }}
            as
        {{ add_iceberg_timestamp_column(sql) }}
    {%- else -%}
        {%- if contract_config.enforced -%}
          {{ get_assert_columns_equivalent(sql) }}
        {%- endif -%}
        create or replace view {{ relation }}
            as
        {{ add_iceberg_timestamp_column(sql) }}
    {%- endif -%}
{%- endmacro %}
