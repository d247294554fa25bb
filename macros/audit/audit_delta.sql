{#- Tests of an incremental build read what is not yet published (docs/models.md, "What a
    gated build tests"). A model opts in (YAML) with `meta: {audit_delta: <column>}`, a
    timestamp that grows with every batch (`ingested_at`). In a gated build without
    --full-refresh its generic tests then read the rows newer than the newest row on main:
    every row this build and any failed build before it merged, and no row an earlier gate
    already passed. A staging view names the refined model its rows are published in
    (`audit_delta_of`), whose main gives the newest published row. Row rules (not_null,
    accepted_values, relationships from the child) read those rows; key rules (unique,
    unique_combination) read every row of the table whose key is among them, so a new key is
    unique against the whole table; reconciles_with_raw scopes raw and the model to the same
    rows itself. Anything else tests the whole table. -#}

{% macro audit_delta(relation) -%}
    {#- {'column': ..., 'since': <timestamp literal>} while `relation`'s tests may read its
        unpublished rows only; none when they read the whole table. -#}
    {%- if not execute or audit_branch() is none or flags.FULL_REFRESH -%}
        {{- return(none) -}}
    {%- endif -%}
    {%- set node = audit_delta_node(relation) -%}
    {%- set column = node.config.meta.get('audit_delta') if node is not none else none -%}
    {%- if not column -%}
        {{- return(none) -}}
    {%- endif -%}
    {#- a staging view's rows are published in the refined table it feeds (`audit_delta_of`) -#}
    {%- set published = node -%}
    {%- if node.config.meta.get('audit_delta_of') -%}
        {%- set published = graph.nodes.values() | selectattr('resource_type', 'equalto', 'model')
                            | selectattr('name', 'equalto', node.config.meta.audit_delta_of) | first -%}
    {%- endif -%}
    {%- set since = audit_published_newest(published, column) -%}
    {%- if since is none -%}
        {{- return(none) -}}
    {%- endif -%}
    {{- return({'column': column, 'since': "timestamp'" ~ since ~ "'"}) -}}
{%- endmacro %}

{% macro audit_published_newest(published, column) -%}
    {#- max(column) on main of the model `published`, as a string; none while nothing is
        published. Once per table and run: main moves only in audit_publish, after the build,
        so every test of the run reads the same bound. The run's flat graph (one dict per
        invocation, shared by every node) holds the cache. -#}
    {%- set cache = graph.setdefault('audit_published_newest', {}) -%}
    {%- set qualified = iceberg_procedure_catalog() ~ '.' ~ published.schema ~ '.' ~ published.alias -%}
    {%- set key = qualified ~ '.' ~ column -%}
    {%- if key not in cache -%}
        {%- set newest = none -%}
        {%- if adapter.get_relation(published.database, published.schema, published.alias) is not none
               and 'main' in audit_refs(qualified) -%}
            {#- branch_main: an explicit VERSION AS OF <id> conflicts with the session's spark.wap.branch -#}
            {%- set newest = run_query("select cast(max(" ~ column ~ ") as string) from "
                                       ~ qualified ~ ".branch_main").rows[0][0] -%}
        {%- endif -%}
        {%- do cache.update({key: newest}) -%}
    {%- endif -%}
    {{- return(cache[key]) -}}
{%- endmacro %}

{% macro audit_delta_node(relation) -%}
    {#- The model whose table `relation` is (a Relation, or its rendered name). -#}
    {%- set name = relation | string -%}
    {%- for node in graph.nodes.values()
            if node.resource_type == 'model' and node.relation_name == name -%}
        {{- return(node) -}}
    {%- endfor -%}
    {{- return(none) -}}
{%- endmacro %}

{% macro get_where_subquery(relation) -%}
    {#- dbt's hook for what a generic test reads (its `where` config): here also the audit delta
        of the model under test (`model` is the test's node). -#}
    {%- set where = config.get('where', '') -%}
    {%- set test = model.get('test_metadata') or {} -%}
    {#- these two scope their rows themselves -#}
    {%- set delta = audit_delta(relation)
        if test.get('name') not in ('reconciles_with_raw', 'keeps_its_period') else none -%}
    {%- if delta is none and not where -%}
        {{- return(relation) -}}
    {%- endif -%}
    {%- set newer = delta.column ~ ' > ' ~ delta.since if delta is not none else 'true' -%}
    {%- set keys = audit_delta_keys(test) -%}
    {%- if delta is not none and keys -%}
        {%- set rows -%}
            select whole.* from {{ relation }} as whole
            left semi join (select {{ keys | join(', ') }} from {{ relation }} where {{ newer }}) as delta
                on {% for key in keys %}{{ 'and ' if not loop.first }}whole.{{ key }} <=> delta.{{ key }} {% endfor %}
        {%- endset -%}
    {%- else -%}
        {%- set rows = 'select * from ' ~ relation ~ ' where ' ~ newer -%}
    {%- endif -%}
    {%- if where -%}
        {%- set rows = 'select * from (' ~ rows ~ ') as scoped where ' ~ where -%}
    {%- endif -%}
    {{- return('(' ~ rows ~ ') dbt_subquery') -}}
{%- endmacro %}

{% macro audit_delta_keys(test) -%}
    {#- The key columns of a uniqueness test, none for any other test. -#}
    {%- set kwargs = test.get('kwargs') or {} -%}
    {%- if test.get('name') == 'unique' -%}
        {{- return([kwargs.get('column_name')]) -}}
    {%- elif test.get('name') == 'unique_combination' -%}
        {{- return(kwargs.get('columns')) -}}
    {%- endif -%}
    {{- return(none) -}}
{%- endmacro %}
