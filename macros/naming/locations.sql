{#- Storage location of a table: {layer root}/{project}/{table}, the per-project prefix that the
    Terraform roles are scoped to. The layer root is per adapter (storage_root,
    macros/adapters/storage_root.sql); both adapters' location clauses call this
    (macros/adapters/location_clause.sql). -#}

{% macro table_location(node) -%}
    {%- set layer = layer_of(node) -%}
    {#- a developer's copy: under the project's prefix, where only developers' roles write -#}
    {%- set developer = ('/_developers/' ~ developer()) if develops(node) else '' -%}
    {%- if layer in var('domain')['layers'] -%}
        {{- storage_root(layer) ~ '/' ~ project_of(node) ~ developer ~ '/' ~ node.alias -}}
    {%- else -%}
        {#- Stored test failures (audit) have no bucket of their own: the artifacts bucket's
            audit/<project>/ prefix, where the baseline puts the audit database and the
            project's dbt-session role may write. -#}
        {{- storage_root('artifacts') ~ '/' ~ layer ~ '/' ~ project_of(node) ~ developer ~ '/' ~ node.alias -}}
    {%- endif -%}
{%- endmacro %}
