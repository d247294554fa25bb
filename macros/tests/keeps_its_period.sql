{#- A key's period never changes (macros/incremental/touched_periods.sql): an unpublished row
    whose key is published with other values in `columns` fails, one row per key, naming both.
    Rebuilding a data product by period relies on it, and so does the merge of refined facts
    into the partitions of their batch (docs/models.md, "Incremental data products").
    Only a gated incremental build has unpublished rows (audit_delta); otherwise nothing fails. -#}
{% test keeps_its_period(model, key, columns) %}

    {{ config(store_failures=true) }}

    {%- set delta = audit_delta(model) -%}
    {%- if delta is none %}
    select {{ key | join(', ') }} from {{ model }} where false
    {%- else %}
    select
        {%- for column in key %}
        unpublished.{{ column }},
        {%- endfor %}
        {%- for column in columns %}
        published.{{ column }} as published_{{ column }},
        unpublished.{{ column }} as unpublished_{{ column }}{{ ',' if not loop.last }}
        {%- endfor %}

    from (
        select * from {{ model }} where {{ delta.column }} > {{ delta.since }}
    ) as unpublished
    inner join
        {{ iceberg_procedure_catalog() }}.{{ model.schema }}.{{ model.identifier }}.branch_main
        as published
        on {% for column in key %}{{ 'and ' if not loop.first }}unpublished.{{ column }} = published.{{ column }} {% endfor %}
    where {% for column in columns %}{{ 'or ' if not loop.first }}not (unpublished.{{ column }} <=> published.{{ column }}) {% endfor %}
    {%- endif %}

{% endtest %}
