{#- The root of a layer's storage, per adapter: the embedded lakehouse's warehouse folder
    (dbt-spark) or the layer's S3 bucket (dbt-glue). table_location() (macros/naming) puts
    {project}/{table} under it. -#}

{% macro storage_root(layer) -%}
    {{- return(adapter.dispatch('storage_root')(layer)) -}}
{%- endmacro %}

{% macro default__storage_root(layer) -%}
    {#- The embedded lakehouse: a folder per layer under its warehouse. -#}
    {{- env_var('LAKEHOUSE_DIR', '.lakehouse') ~ '/warehouse/' ~ layer -}}
{%- endmacro %}

{% macro glue__storage_root(layer) -%}
    {#- A bucket per layer and environment; the account is the session role's.
        DBT_GLUE_STORAGE_ROOT replaces `s3:/` (glue-local keeps bucket B in <root>/B). -#}
    {%- set domain = var('domain') -%}
    {%- set account = target.role_arn.split(':')[4] -%}
    {%- set bucket = domain['country_code'] ~ '-' ~ domain['abbreviation'] ~ '-' ~ target.name
        ~ '-' ~ layer ~ '-' ~ account -%}
    {{- env_var('DBT_GLUE_STORAGE_ROOT', 's3:/') ~ '/' ~ bucket -}}
{%- endmacro %}
