{#- dbt-glue stages a snapshot of an Iceberg table in an Iceberg VIEW of the glue_catalog
    (`create or replace view glue_catalog.<schema>.<snapshot>__dbt_tmp`). An Iceberg view keeps
    metadata files at the database's location, outside every project's prefix, where no
    project role may write. This stages it as a plain catalog view instead (no files), read by
    the snapshot's merge the same way. -#}
{% macro glue_build_snapshot_staging_table(strategy, sql, target_relation) %}
    {%- set tmp_relation = api.Relation.create(identifier=target_relation.identifier ~ '__dbt_tmp',
                                              schema=target_relation.schema,
                                              database=none,
                                              type='view') -%}
    {% set select = snapshot_staging_table(strategy, sql, target_relation) %}
    {# a non-temporary view: the snapshot reads its columns with `describe` #}
    {% call statement('build_snapshot_staging_relation') %}
        {{ create_view_as(tmp_relation, select) }}
    {% endcall %}
    {% do return(tmp_relation) %}
{% endmacro %}
