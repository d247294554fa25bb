{#- Raw -> refined reconciliation: the model holds exactly the latest version of every raw key
    (row count) and the same money/quantity totals. Returns one row (stored in the audit
    schema) when anything differs.
    raw: the source relation; raw_key: its key columns; sums: {model column: raw column}.
    In a gated incremental build (audit_delta) both sides are the rows newer than main's newest:
    the published rows reconciled when they were published, and a merge changes no other key. -#}
{% test reconciles_with_raw(model, raw, raw_key, sums={}, raw_delta_column='_ingested_at') %}

    {{ config(store_failures=true) }}

    {%- set delta = audit_delta(model) -%}
    {%- if delta is not none -%}
        {%- set raw = '(select * from ' ~ raw ~ ' where ' ~ raw_delta_column ~ ' > ' ~ delta.since ~ ') as raw_delta' -%}
        {%- set model = '(select * from ' ~ model ~ ' where ' ~ delta.column ~ ' > ' ~ delta.since ~ ') as model_delta' -%}
    {%- endif %}

    with

    latest_raw as (

        {{ latest_version(raw, raw_key, versioned_by=['_ingested_at', '_batch_id']) }}

    ),

    raw_totals as (

        select
            count(*) as row_count
            {%- for column, raw_column in sums.items() %},
            sum({{ raw_column }}) as {{ column }}
            {%- endfor %}

        from latest_raw

    ),

    model_totals as (

        select
            count(*) as row_count
            {%- for column in sums %},
            sum({{ column }}) as {{ column }}
            {%- endfor %}

        from {{ model }}

    ),

    final as (

        select
            raw_totals.row_count as raw_row_count,
            model_totals.row_count as model_row_count
            {%- for column in sums %},
            raw_totals.{{ column }} as raw_{{ column }},
            model_totals.{{ column }} as model_{{ column }}
            {%- endfor %}

        from raw_totals
        cross join model_totals
        where
            raw_totals.row_count != model_totals.row_count
            {%- for column in sums %}
            or not (raw_totals.{{ column }} <=> model_totals.{{ column }})
            {%- endfor %}

    )

    select * from final

{% endtest %}
