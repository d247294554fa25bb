{#- dbt-glue stages a snapshot of an Iceberg table through create_view_as, which for Iceberg
    creates a TABLE (Glue's Iceberg catalog has no views) without a location: at the database's
    location, outside every project's prefix, where no project role may write (the second run
    of every snapshot is refused on AWS; glue-local's IAM enforcement found it). dbt-glue's
    merge and column lookup read the staging relation by its bare name, so a temporary view of
    the session serves: no catalog entry, no files. Every other view is dbt-glue's. -#}
{% macro glue__create_view_as(relation, sql) -%}
    {%- if model.resource_type == 'snapshot' and relation.identifier.endswith('__dbt_tmp') -%}
        create or replace temporary view {{ relation.identifier }} as {{ sql }}
    {%- else -%}
        {{ return(dbt_glue.glue__create_view_as(relation, sql)) }}
    {%- endif -%}
{%- endmacro %}
