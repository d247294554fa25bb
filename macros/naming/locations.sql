{#- Storage location of a table: {layer root}/{project}/{table}, the per-project prefix that the
    Terraform roles are scoped to. -#}

{% macro storage_root(layer) -%}
    {{- return(adapter.dispatch('storage_root')(layer)) -}}
{%- endmacro %}

{% macro default__storage_root(layer) -%}
    {#- The embedded lakehouse: a folder per layer under its warehouse. -#}
    {{- env_var('LAKEHOUSE_DIR', '.lakehouse') ~ '/warehouse/' ~ layer -}}
{%- endmacro %}

{% macro glue__storage_root(layer) -%}
    {#- A bucket per layer and environment; the account is the session role's. DBT_GLUE_STORAGE_ROOT
        replaces the bucket (e.g. a local folder for the offline Glue endpoint). -#}
    {%- set override = env_var('DBT_GLUE_STORAGE_ROOT', '') -%}
    {%- if override -%}
        {{- override ~ '/' ~ layer -}}
    {%- else -%}
        {%- set domain = var('domain') -%}
        {%- set account = target.role_arn.split(':')[4] -%}
        {{- 's3://' ~ domain['country_code'] ~ '-' ~ domain['abbreviation'] ~ '-' ~ target.name
            ~ '-' ~ layer ~ '-' ~ account -}}
    {%- endif -%}
{%- endmacro %}

{% macro table_location(node) -%}
    {%- set layer = layer_of(node) -%}
    {%- set developer = ('/' ~ developer_suffix()[1:]) if is_developer_build() else '' -%}
    {%- if layer in var('domain')['layers'] -%}
        {{- storage_root(layer) ~ '/' ~ project_of(node) ~ developer ~ '/' ~ node.alias -}}
    {%- else -%}
        {#- Stored test failures (audit) have no bucket of their own: the artifacts bucket's
            audit/<project>/ prefix, where the baseline puts the audit database and the
            project's dbt-session role may write. -#}
        {{- storage_root('artifacts') ~ '/' ~ layer ~ '/' ~ project_of(node) ~ developer ~ '/' ~ node.alias -}}
    {%- endif -%}
{%- endmacro %}

{#- Both adapters' location clauses, replaced so that every table lands on its project prefix. -#}
{% macro spark__location_clause() -%}
    location '{{ table_location(model) }}'
{%- endmacro %}

{% macro glue__location_clause() -%}
    location '{{ table_location(model) }}'
{%- endmacro %}
