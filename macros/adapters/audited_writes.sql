{#- How the adapters' materializations write while the gate audits (macros/audit): every
    write of an Iceberg model, seed or snapshot must be a branch write. Merges, inserts and
    deletes already are (the session's spark.wap.branch); these replace the two writes that
    are not. -#}

{#- dbt's table materialization (and a first incremental or snapshot build) replaces the table
    with CREATE OR REPLACE TABLE AS SELECT, which is not a branch write. While auditing, this
    replaces the table's rows on the audit branch instead: a new table is created empty on main
    (with write.wap.enabled, from the defaults), then the rows are deleted and inserted on the
    branch. Iceberg's schema is table-wide, not per branch: a changed column list cannot be
    audited, so it stops with what to do. Everything else is the adapters' own macro. -#}
{% macro create_table_as(temporary, relation, compiled_code, language='sql') -%}
    {%- if temporary or language != 'sql' or not audit_applies() -%}
        {{- adapter_create_table_as(temporary, relation, compiled_code, language) -}}
    {%- else -%}
        {%- set existing = adapter.get_relation(relation.database, relation.schema, relation.identifier) -%}
        {%- set contract = config.get('contract') -%}
        {%- if contract and contract.enforced -%}
            {%- do get_assert_columns_equivalent(compiled_code) -%}
            {%- set compiled_code = get_select_subquery(compiled_code) -%}
        {%- endif -%}
        {%- if existing is none -%}
            {%- do audit_execute(adapter_create_table_as(false, relation,
                "select * from (" ~ compiled_code ~ ") as audited where 1 = 0", 'sql')) -%}
        {%- elif not audit_same_columns(existing, compiled_code) -%}
            {%- if not should_full_refresh() -%}
                {%- do exceptions.raise_compiler_error(audit_schema_change_message(existing)) -%}
            {%- endif -%}
            {{ log(existing ~ ': columns changed, replaced on main unaudited (--full-refresh)', info=true) }}
            {{- return(adapter_create_table_as(false, relation, compiled_code, 'sql')) -}}
        {%- else -%}
            {%- do audit_execute("delete from " ~ audit_write_target(existing)) -%}
        {%- endif -%}
        insert into {{ audit_write_target(relation) }}
        {{ compiled_code }}
    {%- endif -%}
{%- endmacro %}

{% macro adapter_create_table_as(temporary, relation, compiled_code, language) -%}
    {#- The adapter's create_table_as, as dbt-core's own macro dispatches it. -#}
    {%- if language == 'sql' -%}
        {{- adapter.dispatch('create_table_as', 'dbt')(temporary, relation, compiled_code) -}}
    {%- else -%}
        {{- adapter.dispatch('create_table_as', 'dbt')(temporary, relation, compiled_code, language) -}}
    {%- endif -%}
{%- endmacro %}

{% macro audit_same_columns(existing, compiled_code) -%}
    {%- set table_columns = adapter.get_columns_in_relation(existing) | map(attribute='name') | map('lower') | list -%}
    {%- set query_columns = run_query("select * from (" ~ compiled_code ~ ") as audited limit 0").column_names | map('lower') | list -%}
    {{- return(table_columns == query_columns) -}}
{%- endmacro %}

{% macro audit_schema_change_message(existing) -%}
    {{- return(existing ~ ": the model's columns differ from the table's. Iceberg's schema is "
        ~ "table-wide, not per branch, so the gate cannot audit the change: publish it on "
        ~ "purpose with a full refresh of the model (dbt build --full-refresh --select "
        ~ model.name ~ "), which replaces the table on main.") -}}
{%- endmacro %}

{% macro audit_write_target(relation) -%}
    {{- return(adapter.dispatch('audit_write_target')(relation)) -}}
{%- endmacro %}

{% macro default__audit_write_target(relation) -%}
    {{- return(relation) -}}
{%- endmacro %}

{% macro glue__audit_write_target(relation) -%}
    {#- dbt-glue writes Iceberg tables through its own catalog, as its merges do. -#}
    {{- return(glue__make_target_relation(relation, 'iceberg')) -}}
{%- endmacro %}

{#- A seed on dbt-spark is dropped and created again on every run; while auditing, an existing
    seed's rows are deleted on the branch instead, and dbt then inserts the rows (there). -#}
{% macro spark__reset_csv_table(model, full_refresh, old_relation, agate_table) %}
    {%- if audit_applies() and not full_refresh -%}
        {%- do audit_execute("delete from " ~ old_relation) -%}
        {{- return('') -}}
    {%- endif -%}
    {{ adapter.drop_relation(old_relation) }}
    {{- return(create_csv_table(model, agate_table)) -}}
{% endmacro %}

{#- dbt-spark creates a new seed's table without the tblproperties of its config: while
    auditing, the table gets write.wap.enabled before dbt inserts its rows, or they would land
    on main, visible before the seed's tests ran. -#}
{% macro create_csv_table(model, agate_table) -%}
    {%- set sql = adapter.dispatch('create_csv_table', 'dbt')(model, agate_table) -%}
    {%- if audit_applies() -%}
        {%- do audit_execute("alter table " ~ this.render()
            ~ " set tblproperties ('write.wap.enabled' = 'true')") -%}
    {%- endif -%}
    {{- return(sql) -}}
{%- endmacro %}
