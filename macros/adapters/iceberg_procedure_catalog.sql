{#- The catalog that Iceberg's stored procedures (`call <catalog>.system.…`) and metadata
    tables are addressed through, per adapter; used by iceberg_maintenance
    (macros/maintenance/iceberg_maintenance.sql). -#}

{% macro iceberg_procedure_catalog() -%}
    {{- return(adapter.dispatch('iceberg_procedure_catalog')()) -}}
{%- endmacro %}

{% macro default__iceberg_procedure_catalog() -%}
    {#- The local lakehouse: Iceberg's session catalog. -#}
    {{- return('spark_catalog') -}}
{%- endmacro %}

{% macro glue__iceberg_procedure_catalog() -%}
    {#- dbt-glue addresses Iceberg tables through its custom catalog (glue_catalog). -#}
    {{- return(adapter.get_custom_iceberg_catalog_namespace() or 'spark_catalog') -}}
{%- endmacro %}
