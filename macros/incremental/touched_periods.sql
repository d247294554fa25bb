{#- Data products that aggregate by period (a month, a year) are rebuilt only for the periods
    their inputs changed (docs/models.md, "Incremental data products").

    The model is `materialized='incremental'`, `incremental_strategy='append'`, declares its
    periods in its config and asks in its body which ones to rebuild:

        config(..., touched_periods={'column': 'order_month', 'data_type': 'date',
                                     'inputs': {'orders': "cast(date_trunc('month', ordered_on) as date)"}})
        {%- set touched = touched_periods() -%}

    then reads only those periods of each input (in_months, in_years). The project's hooks do
    the rest: before the model writes, replace_touched_periods deletes those periods from the
    table; after, record_built_from stores in a table property how far each input was read.

    What an input changed: its rows ingested after the watermark recorded at the table's last
    build (`ingested_at`, which grows with every batch; a refined model's rows are exactly the
    batches up to its newest). The property is kept per branch (main, and the gate's audit
    branch while it waits; audit_publish moves it to main with the data) and names the snapshot
    it describes and the model's code, so a state the record does not describe (a rollback, a
    dropped branch, a table made before this) or a change of the model's code rebuilds every
    period. A period of a row's earlier version is not
    looked up: a key's period never changes, and the gate's `keeps_its_period` test refuses a
    batch that moves one. -#}

{% macro touched_periods() -%}
    {#- The periods to rebuild, as SQL literals of the period's data type; none for every period
        (a first or full build, or no usable record). The config's `inputs`: {ref name: the
        period of one of that input's rows, an expression over its columns; or a select over
        `{changed}` (its changed rows, other inputs as `{<name>}`) giving periods; or none: any
        change rebuilds every period}. -#}
    {%- set declared = config.get('touched_periods') -%}
    {%- if not execute or model.resource_type == 'unit_test' or flags.WHICH not in ('run', 'build') -%}
        {#- a unit test reads its given rows whole; `dbt compile` and `docs generate` show the
            whole form and query nothing (the docs' role may not read every input) -#}
        {{- return(none) -}}
    {%- endif -%}
    {%- set cache = graph.setdefault('touched_periods', {}) -%}
    {%- if model.unique_id not in cache -%}
        {%- set relations, read_through = {}, {} -%}
        {%- for name in declared.inputs -%}
            {%- set relation = ref(name) | string -%}
            {%- do relations.update({name: relation}) -%}
            {%- do read_through.update({relation: run_query(
                "select cast(max(ingested_at) as string) from " ~ relation).rows[0][0]}) -%}
        {%- endfor -%}
        {%- set built = built_from() if is_incremental() else none -%}
        {%- set found = {'periods': [] if built is not none else none} -%}
        {%- for name, mapping in declared.inputs.items() if found.periods is not none -%}
            {%- set since, now = built.get(relations[name]), read_through[relations[name]] -%}
            {%- if now is not none and now != since -%}
                {%- if since is none or mapping is none -%}
                    {%- do found.update({'periods': none}) -%}
                {%- else -%}
                    {%- set changed = "(select * from " ~ relations[name] ~ " where ingested_at > timestamp'" ~ since ~ "')" -%}
                    {%- set query = mapping if mapping.lstrip().lower().startswith('select')
                                    else 'select ' ~ mapping ~ ' from {changed} as changed' -%}
                    {%- set query = {'text': query.replace('{changed}', changed)} -%}
                    {%- for other, relation in relations.items() -%}
                        {%- do query.update({'text': query.text.replace('{' ~ other ~ '}', relation)}) -%}
                    {%- endfor -%}
                    {%- for row in run_query("select distinct cast(period as string) from (" ~ query.text
                                             ~ ") as mapped(period) where period is not null").rows -%}
                        {%- if row[0] not in found.periods -%}
                            {%- do found.periods.append(row[0]) -%}
                        {%- endif -%}
                    {%- endfor -%}
                {%- endif -%}
            {%- endif -%}
        {%- endfor -%}
        {%- do cache.update({model.unique_id: {
            'read_through': read_through,
            'periods': (found.periods | sort) if found.periods is not none else none}}) -%}
    {%- endif -%}
    {%- set periods = cache[model.unique_id].periods -%}
    {{- return(none if periods is none else period_literals(periods, declared.data_type)) -}}
{%- endmacro %}

{% macro period_literals(values, data_type) -%}
    {%- set literals = [] -%}
    {%- for value in values -%}
        {%- do literals.append("cast('" ~ value ~ "' as " ~ data_type ~ ")") -%}
    {%- endfor -%}
    {{- return(literals) -}}
{%- endmacro %}

{% macro in_periods(touched, period, bounded=none) -%}
    {#- A filter: `period` (an expression) is one of the touched periods; true for every
        period (none), false for none. `bounded`: [column, lower, upper] adds
        `column >= lower and column < upper` as literals, which Iceberg uses to skip the
        partitions and files of other periods (see in_months, in_years). -#}
    {%- if touched is none -%}
        true
    {%- elif touched | length == 0 -%}
        false
    {%- else -%}
        {{ period }} in ({{ touched | join(', ') }})
        {%- if bounded %} and {{ bounded[0] }} >= {{ bounded[1] }} and {{ bounded[0] }} < {{ bounded[2] }}{% endif -%}
    {%- endif -%}
{%- endmacro %}

{% macro in_months(touched, date_column) -%}
    {#- in_periods for months (periods are first days of months) of a date column. -#}
    {%- set months = touched_values(touched) -%}
    {%- set bounds = none -%}
    {%- if months -%}
        {%- set last = months[-1].split('-') | map('int') | list -%}
        {%- set after = '%04d-%02d-01' | format(last[0] + (last[1] // 12), last[1] % 12 + 1) -%}
        {%- set bounds = [date_column, "date'" ~ months[0] ~ "'", "date'" ~ after ~ "'"] -%}
    {%- endif -%}
    {{- in_periods(touched, "cast(date_trunc('month', " ~ date_column ~ ") as date)", bounds) -}}
{%- endmacro %}

{% macro in_years(touched, date_column) -%}
    {#- in_periods for years (periods are years, as integers) of a date column. -#}
    {%- set years = touched_values(touched) | map('int') | list -%}
    {%- set bounds = none -%}
    {%- if years -%}
        {%- set bounds = [date_column, "date'%04d-01-01'" | format(years[0]),
                          "date'%04d-01-01'" | format(years[-1] + 1)] -%}
    {%- endif -%}
    {{- in_periods(touched, 'year(' ~ date_column ~ ')', bounds) -}}
{%- endmacro %}

{% macro touched_values(touched) -%}
    {#- The values inside the literals touched_periods returned, in order. -#}
    {%- set values = [] -%}
    {%- for literal in touched or [] -%}
        {%- do values.append(literal.split("'")[1]) -%}
    {%- endfor -%}
    {{- return(values | sort) -}}
{%- endmacro %}

{% macro built_from_property(ref_name) -%}
    {{- return('lakehouse.built-from.' ~ ref_name) -}}
{%- endmacro %}

{% macro built_from() -%}
    {#- {input relation: ingested_at read through} of the state this build starts from: the audit
        branch when it exists, else main; none when no record describes that state. -#}
    {%- set qualified = iceberg_procedure_catalog() ~ '.' ~ this.schema ~ '.' ~ this.identifier -%}
    {%- set heads = audit_refs(qualified) -%}
    {#- a branch whose base main moved is dropped before the build writes (audit_prepare_table) -#}
    {%- set ref_name = audit_branch() if audit_branch() in heads
                       and audit_main_is_base(qualified, heads, audit_branch()) else 'main' -%}
    {%- set shown = run_query("show tblproperties " ~ this ~ " ('" ~ built_from_property(ref_name) ~ "')") -%}
    {%- set recorded = shown.rows[0][1] if shown.rows | length > 0 else '' -%}
    {%- if not recorded.startswith('{') -%}
        {{- return(none) -}}
    {%- endif -%}
    {%- set record = fromjson(recorded) -%}
    {%- if not snapshot_unchanged_since(qualified, heads.get(ref_name), record.snapshot) -%}
        {{ log(this ~ ': its ' ~ ref_name ~ ' is not the state recorded at its last build; every period is rebuilt', info=true) }}
        {{- return(none) -}}
    {%- endif -%}
    {%- if record.get('code') != model.checksum.checksum -%}
        {{ log(this ~ ': its code changed since its last build; every period is rebuilt', info=true) }}
        {{- return(none) -}}
    {%- endif -%}
    {{- return(record.read_through) -}}
{%- endmacro %}

{% macro snapshot_unchanged_since(qualified, head, recorded) -%}
    {#- Whether the table's data at snapshot `head` is the data at `recorded`: the same snapshot,
        or later ones that only compacted files (operation replace). -#}
    {%- set snapshots = {} -%}
    {%- for row in run_query("select snapshot_id, parent_id, operation from " ~ qualified ~ ".snapshots").rows -%}
        {%- do snapshots.update({row[0] | string: [row[1] | string, row[2]]}) -%}
    {%- endfor -%}
    {%- set walk = [head | string] -%}
    {%- for _ in snapshots if walk[-1] != recorded and snapshots.get(walk[-1], [none, none])[1] == 'replace' -%}
        {%- do walk.append(snapshots[walk[-1]][0]) -%}
    {%- endfor -%}
    {{- return(walk[-1] == recorded) -}}
{%- endmacro %}

{% macro replace_touched_periods() -%}
    {#- pre-hook of every model: before an incremental build of a model that called
        touched_periods appends its periods, delete them (every row, for every period). -#}
    {%- set entry = graph.get('touched_periods', {}).get(model.unique_id) if execute else none -%}
    {%- if entry is not none and is_incremental() -%}
        {%- set target = audit_write_target(this) -%}
        {%- if entry.periods is none -%}
            {%- do audit_execute('delete from ' ~ target) -%}
        {%- elif entry.periods | length > 0 -%}
            {%- set declared = config.get('touched_periods') -%}
            {%- do audit_execute('delete from ' ~ target ~ ' where ' ~ declared.column ~ ' in ('
                ~ period_literals(entry.periods, declared.data_type) | join(', ') ~ ')') -%}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}

{% macro record_built_from() -%}
    {#- post-hook of every model: after a model that called touched_periods wrote its table,
        record how far it read each input, for the state it wrote (the audit branch in a gated
        build, else main). A gated build that wrote nothing has no branch: nothing to record. -#}
    {%- set entry = graph.get('touched_periods', {}).get(model.unique_id) if execute else none -%}
    {%- if entry is not none -%}
        {%- set qualified = iceberg_procedure_catalog() ~ '.' ~ this.schema ~ '.' ~ this.identifier -%}
        {%- set heads = audit_refs(qualified) -%}
        {%- set ref_name = audit_branch() or 'main' -%}
        {%- if ref_name in heads -%}
            {%- set record = tojson({'snapshot': heads[ref_name] | string, 'code': model.checksum.checksum,
                                     'read_through': entry.read_through}) -%}
            {%- do audit_execute('alter table ' ~ audit_write_target(this) ~ " set tblproperties ('"
                ~ built_from_property(ref_name) ~ "' = '" ~ record ~ "')") -%}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}

{% macro period_tables(tables) -%}
    {#- Of `tables` (schema.table), those of models with touched_periods. -#}
    {%- set found = [] -%}
    {%- for node in graph.nodes.values()
            if node.resource_type == 'model' and node.config.get('touched_periods')
            and (node.schema ~ '.' ~ node.alias) in tables -%}
        {%- do found.append(node.schema ~ '.' ~ node.alias) -%}
    {%- endfor -%}
    {{- return(found) -}}
{%- endmacro %}
