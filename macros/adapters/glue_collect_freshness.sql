{#- Source freshness on dbt-glue. dbt-glue's cursor returns every value as text, and dbt-core
    needs datetimes for `max_loaded_at` and `snapshotted_at` ("Expected a timestamp value when
    querying field ... but received value of type 'str'"), so `dbt source freshness` fails on
    every source. The same query as dbt's default, its two values parsed here; a naive
    timestamp is UTC, the sessions' time zone. -#}

{% macro glue__collect_freshness(source, loaded_at_field, filter) -%}
    {%- call statement('collect_freshness', fetch_result=True, auto_begin=False) -%}
        select
            cast(max({{ loaded_at_field }}) as string) as max_loaded_at,
            cast({{ current_timestamp() }} as string) as snapshotted_at
        from {{ source }}
        {% if filter %}where {{ filter }}{% endif %}
    {%- endcall -%}
    {%- set result = load_result('collect_freshness') -%}
    {%- set parsed = [] -%}
    {%- for value in result.table.rows[0] -%}
        {%- do parsed.append(modules.datetime.datetime.fromisoformat(value) if value is string else value) -%}
    {%- endfor -%}
    {%- do result.update({'table': [parsed]}) -%}
    {{- return(result) -}}
{%- endmacro %}
