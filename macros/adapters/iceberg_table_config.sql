{#- Adapter flags every Iceberg model shares, spelt the way each adapter reads them (table
    properties come from macros/maintenance/table_properties.sql). Models call it in their
    config block: config(materialized='table', file_format='iceberg', **iceberg_table_config()). -#}

{% macro iceberg_table_config() -%}
    {{- return(adapter.dispatch('iceberg_table_config')()) -}}
{%- endmacro %}

{% macro default__iceberg_table_config() -%}
    {#- dbt-spark keeps every snapshot and uses temporary views for merges: nothing to set. -#}
    {{- return({}) -}}
{%- endmacro %}

{% macro glue__iceberg_table_config() -%}
    {#- dbt-glue compares its Iceberg flags as STRINGS ('True'/'False'; a boolean True would
        switch expiry OFF by accident, False would not switch it off). Keep snapshots (time
        travel, rollback after a failed build; housekeeping expires them on its own schedule);
        temp relations of merges as views, not physical `_tmp` tables left behind on S3. -#}
    {{- return({
        'iceberg_expire_snapshots': 'False',
        'use_iceberg_temp_views': 'True',
        'purge_dropped_iceberg_data': 'False',
    }) -}}
{%- endmacro %}
