{#- dbt-glue stages a snapshot of an Iceberg table in a relation it creates as an Iceberg TABLE
    of the glue_catalog (Glue's Iceberg catalog has no views), without a location: at the
    database's location, outside every project's prefix, where no project role may write
    (glue-local's IAM enforcement found it). Its own merge reads the staging relation by its
    bare name, and its column lookup falls back to the bare name too: this stages an Iceberg
    snapshot in a temporary view of the session instead (no catalog entry, no files). -#}
{% macro glue_build_snapshot_staging_table(strategy, sql, target_relation) %}
    {%- set tmp_relation = api.Relation.create(identifier=target_relation.identifier ~ '__dbt_tmp',
                                              schema=target_relation.schema,
                                              database=none,
                                              type='view') -%}
    {% set select = snapshot_staging_table(strategy, sql, target_relation) %}
    {% call statement('build_snapshot_staging_relation') %}
        {%- if target_relation.is_iceberg %}
        create or replace temporary view {{ tmp_relation.identifier }} as {{ select }}
        {%- else %}
        {{ create_view_as(tmp_relation, select) }}
        {%- endif %}
    {% endcall %}
    {% do return(tmp_relation) %}
{% endmacro %}
