{#- Both adapters' location clauses, replaced so that every table lands on its project prefix
    (table_location(), macros/naming/locations.sql): dbt-spark would use `location_root`,
    dbt-glue `custom_location` or the profile's location, and neither knows the project. -#}

{% macro spark__location_clause() -%}
    location '{{ table_location(model) }}'
{%- endmacro %}

{% macro glue__location_clause() -%}
    location '{{ table_location(model) }}'
{%- endmacro %}
