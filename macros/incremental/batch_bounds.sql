{#- A refined fact merges its batch into the partitions of the batch's dates only, not the
    whole table (docs/performance.md). In the model's config

        incremental_predicates=batch_bounds('shipped_on'),
        pre_hook=["{{ set_batch_bounds('shipped_on') }}"],

    add to the merge's condition `<target>.shipped_on between <batch's lowest> and <highest>`, so
    Iceberg reads the target's partitions and files of those dates alone, instead of scanning
    every key of the history for matches.

    dbt fixes a model's config when it parses the project, before the batch is known: the
    condition names two Spark settings (`${...}`, which Spark's parser substitutes), and the
    model's pre-hook sets them from the batch before the merge runs. Exact because a key keeps
    its date (the gate's `keeps_its_period` test refuses a batch that moves one). -#}

{% macro batch_bounds(column) -%}
    {#- The merge's extra condition: the target's `column` within the batch's bounds. -#}
    {%- set setting = batch_bounds_setting(column) -%}
    {{- return([
        "DBT_INTERNAL_DEST." ~ column ~ " >= cast('${" ~ setting ~ ".lower}' as date)",
        "DBT_INTERNAL_DEST." ~ column ~ " <= cast('${" ~ setting ~ ".upper}' as date)",
    ]) -}}
{%- endmacro %}

{% macro batch_bounds_setting(column) -%}
    {{- return('lakehouse.merge_bounds.' ~ model.name ~ '.' ~ column) -}}
{%- endmacro %}

{% macro set_batch_bounds(column) -%}
    {#- pre-hook: the batch's lowest and highest `column` (an empty batch: a range nothing is in). -#}
    {%- if execute and is_incremental() -%}
        {%- set setting = batch_bounds_setting(column) -%}
        {%- set bounds = run_query("select cast(min(" ~ column ~ ") as string), cast(max(" ~ column
                                   ~ ") as string) from (" ~ model.compiled_code ~ ") as batch").rows[0] -%}
        {%- do audit_execute('set ' ~ setting ~ '.lower = ' ~ (bounds[0] or '9999-12-31')) -%}
        {%- do audit_execute('set ' ~ setting ~ '.upper = ' ~ (bounds[1] or '0001-01-01')) -%}
    {%- endif -%}
{%- endmacro %}
