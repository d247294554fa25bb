{#- One schema per target, so both builds live side by side in one catalog. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    probe_{{ target.name }}
{%- endmacro %}
