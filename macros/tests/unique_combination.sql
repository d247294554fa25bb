{#- Fails for every combination of `columns` that occurs more than once (the primary-key test of
    a model whose key spans several columns; dbt Hub's packages are not reachable offline). -#}
{% test unique_combination(model, columns) %}

    select
        {{ columns | join(', ') }},
        count(*) as occurrences
    from {{ model }}
    group by {{ columns | join(', ') }}
    having count(*) > 1

{% endtest %}
