{#- Compound foreign key: every combination of `columns` (non-null) exists as `fields` in `to`
    (dbt's `relationships` takes one column only). -#}
{% test relationships_combination(model, columns, to, fields) %}

    select child.*
    from (
        select distinct {{ columns | join(', ') }}
        from {{ model }}
        where
            {%- for column in columns %}
            {{ 'and ' if not loop.first }}{{ column }} is not null
            {%- endfor %}
    ) as child
    left anti join {{ to }} as parent
        on
            {%- for column in columns %}
            {{ 'and ' if not loop.first }}child.{{ column }} = parent.{{ fields[loop.index0] }}
            {%- endfor %}

{% endtest %}
