{#- Table properties of every Iceberg table dbt creates, on both adapters, from ONE place.

    dbt-spark reads `tblproperties`, dbt-glue `table_properties`: each adapter's clause macro is
    replaced (macros/adapters/table_properties_clause.sql) so that both merge the domain
    defaults below with whatever a model sets under either key (the model wins). Models never
    repeat the defaults. Values are rendered as strings: Iceberg reads 'true'/'false', and a
    Python boolean would render as 'True'. -#}

{% macro iceberg_default_properties() -%}
    {%- set retention = iceberg_retention() -%}
    {{- return({
        'format-version': '2',
        'write.format.default': 'parquet',
        'write.parquet.compression-codec': 'zstd',
        'write.distribution-mode': 'hash',
        'write.target-file-size-bytes': '134217728',
        'write.metadata.delete-after-commit.enabled': 'true',
        'write.metadata.previous-versions-max': '20',
        'history.expire.max-snapshot-age-ms': (retention['snapshot_retention_days'] * 86400000) | string,
        'history.expire.min-snapshots-to-keep': retention['snapshots_to_retain'] | string,
    }) -}}
{%- endmacro %}

{% macro iceberg_retention() -%}
    {#- The retention window of housekeeping; the same defaults as the Glue table optimizers of
        terraform/modules/project (snapshot_retention_days, snapshots_to_retain,
        orphan_file_retention_days). Override with --vars '{iceberg_retention: {...}}'. -#}
    {%- set defaults = {
        'snapshot_retention_days': 7,
        'snapshots_to_retain': 5,
        'orphan_file_retention_days': 3,
    } -%}
    {%- do defaults.update(var('iceberg_retention', {})) -%}
    {{- return(defaults) -}}
{%- endmacro %}

{% macro property_string(value) -%}
    {%- if value is sameas true or value is sameas false -%}
        {{- return(value | string | lower) -}}
    {%- endif -%}
    {{- return(value | string) -}}
{%- endmacro %}

{% macro table_properties_for(file_format, configured) -%}
    {#- Defaults (Iceberg only) overlaid with the model's own properties, every value a string. -#}
    {%- set merged = {} -%}
    {%- if file_format == 'iceberg' -%}
        {%- do merged.update(iceberg_default_properties()) -%}
        {%- do merged.update(audit_table_properties()) -%}
    {%- endif -%}
    {%- if configured is mapping -%}
        {%- for key, value in configured.items() -%}
            {%- do merged.update({key: property_string(value)}) -%}
        {%- endfor -%}
    {%- endif -%}
    {{- return(merged) -}}
{%- endmacro %}

{% macro properties_clause(properties) -%}
    {%- if properties -%}
    tblproperties (
        {%- for key in properties | sort %}
        '{{ key }}' = '{{ properties[key] }}'{{ ',' if not loop.last }}
        {%- endfor %}
    )
    {%- endif -%}
{%- endmacro %}
