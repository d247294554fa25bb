{#- Write-audit-publish on Iceberg branches (docs/models.md, "The quality gate").

    The gate (lakehouse/gate.py) runs its build with --vars '{audit_branch: audit_<scope>}'.
    Every write of that build to an Iceberg table then lands on the table's audit branch: the
    session's `spark.wap.branch` routes inserts, merges and deletes of every table with
    `write.wap.enabled` there (Iceberg creates the branch from main at its first write), and
    reads of a table with that branch read it, so the build's tests see exactly what would be
    published. Main moves only in audit_publish, after every test passed. Without the variable
    (a developer's plain `dbt build`) nothing changes: writes go to main. -#}

{% macro audit_branch() -%}
    {{- return(var('audit_branch', none)) -}}
{%- endmacro %}

{% macro audit_session() -%}
    {#- on-run-start: every run states its branch, so a reused session (dbt-glue keeps its Glue
        session between runs) never carries an earlier run's branch into this one. -#}
    {%- if audit_branch() -%}
        set spark.wap.branch = {{ audit_branch() }}
    {%- else -%}
        reset spark.wap.branch
    {%- endif -%}
{%- endmacro %}

{% macro audit_applies() -%}
    {#- True while an audited build writes this node: an Iceberg model, seed or snapshot. -#}
    {{- return(audit_branch() is not none
        and model.resource_type in ('model', 'seed', 'snapshot')
        and config.get('file_format') == 'iceberg') -}}
{%- endmacro %}

{% macro audit_enable_branch_writes() -%}
    {#- pre-hook of every Iceberg node: a table made before the gate audited (without
        `write.wap.enabled`) gets the property, or Iceberg would SILENTLY write to main. -#}
    {%- if audit_applies() and execute -%}
        {%- set existing = adapter.get_relation(this.database, this.schema, this.identifier) -%}
        {%- if existing is not none -%}
            {%- set shown = run_query("show tblproperties " ~ existing ~ " ('write.wap.enabled')") -%}
            {%- if shown.rows | length == 0 or shown.rows[0][1] != 'true' -%}
                {%- do run_query("alter table " ~ existing
                    ~ " set tblproperties ('write.wap.enabled' = 'true')") -%}
            {%- endif -%}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}

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
            {%- do run_query(adapter_create_table_as(false, relation,
                "select * from (" ~ compiled_code ~ ") as audited where 1 = 0", 'sql')) -%}
        {%- elif not audit_same_columns(existing, compiled_code) -%}
            {%- if not should_full_refresh() -%}
                {%- do exceptions.raise_compiler_error(audit_schema_change_message(existing)) -%}
            {%- endif -%}
            {{ log(existing ~ ': columns changed, replaced on main unaudited (--full-refresh)', info=true) }}
            {{- return(adapter_create_table_as(false, relation, compiled_code, 'sql')) -}}
        {%- else -%}
            {%- do run_query("delete from " ~ audit_write_target(existing)) -%}
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
        {%- do run_query("delete from " ~ old_relation) -%}
        {{- return('') -}}
    {%- endif -%}
    {{ adapter.drop_relation(old_relation) }}
    {{- return(create_csv_table(model, agate_table)) -}}
{% endmacro %}

{#- Publish: main of every audited table moves to its audit branch (Iceberg's fast_forward, one
    commit per table), then the branch is dropped. Refined and the other upstream tables first,
    the data products last, so no data product is newer than what it was built from. A table
    without the branch had nothing written by the audited builds and keeps its main.

        dbt run-operation audit_publish --args '{branch: audit_domain}'
        dbt run-operation audit_publish --args '{branch: audit_sales, project: sales}' -#}
{% macro audit_publish(branch, project=none) %}
    {%- set catalog = iceberg_procedure_catalog() -%}
    {%- set ordered = iceberg_tables_of_project(project, curated=false)
                      + iceberg_tables_of_project(project, curated=true) -%}
    {%- set published = [] -%}
    {%- for table in ordered -%}
        {%- set head = audit_branch_head(catalog ~ '.' ~ table, branch) -%}
        {%- if head is not none -%}
            {%- do run_query("call " ~ catalog ~ ".system.fast_forward('" ~ table ~ "', 'main', '" ~ branch ~ "')") -%}
            {%- do run_query("alter table " ~ catalog ~ "." ~ table ~ " drop branch `" ~ branch ~ "`") -%}
            {%- do published.append(table) -%}
            {{ log('audit_publish: ' ~ table ~ ': main -> snapshot ' ~ head, info=true) }}
        {%- endif -%}
    {%- endfor -%}
    {{ log('audit_publish: ' ~ published | length ~ ' of ' ~ ordered | length
           ~ ' tables published from branch ' ~ branch, info=true) }}
{% endmacro %}

{% macro audit_branch_head(qualified, branch) -%}
    {#- The snapshot id the branch points at; none without the branch. -#}
    {%- set refs = run_query("select snapshot_id from " ~ qualified ~ ".refs where name = '" ~ branch ~ "'") -%}
    {{- return(refs.rows[0][0] if refs.rows | length > 0 else none) -}}
{%- endmacro %}
