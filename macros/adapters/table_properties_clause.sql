{#- Both adapters' table-properties clauses, replaced so that every Iceberg table gets the
    domain defaults (macros/maintenance/table_properties.sql) merged with the model's own
    properties, whichever adapter's key (`tblproperties`, `table_properties`) the model uses. -#}

{#- dbt-spark (local target): its CTAS calls tblproperties_clause(). -#}
{% macro spark__tblproperties_clause() -%}
    {%- set properties = table_properties_for(
        config.get('file_format'),
        config.get('tblproperties') or config.get('table_properties')) -%}
    {{ properties_clause(properties) }}
{%- endmacro %}

{#- dbt-glue (AWS targets): its CTAS calls set_table_properties(config table_properties); this
    root-project macro takes precedence over the adapter's. dbt-glue's incremental passes the
    string 'empty' when unset, hence the `mapping` checks. -#}
{% macro set_table_properties(table_properties) -%}
    {%- set properties = table_properties_for(
        config.get('file_format'),
        table_properties if table_properties is mapping else config.get('tblproperties')) -%}
    {{ properties_clause(properties) }}
{%- endmacro %}
