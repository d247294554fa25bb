{#- Write-audit-publish on Iceberg branches (docs/models.md, "The gate: write, audit, publish").

    The gate (lakehouse/gate.py) runs its build with --vars '{audit_branch: audit_<project>}'
    (audit_domain for the whole domain and for the stages of the domain's schedule).
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

{% macro audit_execute(sql) -%}
    {#- A statement without a result (DDL, DML): dbt-glue's run_query fails on those. -#}
    {%- call statement('audit', fetch_result=false) -%}{{ sql }}{%- endcall -%}
{%- endmacro %}

{% macro audit_applies() -%}
    {#- True while an audited build writes this node: an Iceberg model, seed or snapshot. -#}
    {{- return(audit_branch() is not none
        and model.resource_type in ('model', 'seed', 'snapshot')
        and config.get('file_format') == 'iceberg') -}}
{%- endmacro %}

{% macro audit_table_properties() -%}
    {#- Branch writes on every table of a model, seed or snapshot, from its creation; never on
        a test's stored failures: the user reads those on main after a failed build. -#}
    {{- return({'write.wap.enabled':
        'true' if model.resource_type in ('model', 'seed', 'snapshot') else 'false'}) -}}
{%- endmacro %}

{% macro audit_prepare_table() -%}
    {#- pre-hook of every Iceberg node, before it is written on the branch:
        - a table made before the gate audited (without `write.wap.enabled`) gets the property,
          or Iceberg would ignore the session's branch and write main without a word;
        - a branch left by a failed build whose base main has moved since (compaction by the
          Glue optimizers, a rollback) could never be fast-forwarded: it is dropped, and the
          build starts again from main. Nothing is lost: incremental models read every batch
          newer than the table they merge into, table models are rebuilt whole. -#}
    {%- if audit_applies() and execute -%}
        {%- set existing = adapter.get_relation(this.database, this.schema, this.identifier) -%}
        {%- if existing is not none -%}
            {%- set shown = run_query("show tblproperties " ~ existing ~ " ('write.wap.enabled')") -%}
            {%- if shown.rows | length == 0 or shown.rows[0][1] != 'true' -%}
                {%- do audit_execute("alter table " ~ existing
                    ~ " set tblproperties ('write.wap.enabled' = 'true')") -%}
            {%- endif -%}
            {%- set qualified = iceberg_procedure_catalog() ~ '.' ~ this.schema ~ '.' ~ this.identifier -%}
            {%- set heads = audit_refs(qualified) -%}
            {%- if audit_branch() in heads and not audit_main_is_base(qualified, heads, audit_branch()) -%}
                {{ log(existing ~ ': main moved since branch ' ~ audit_branch() ~ ' was made; '
                       ~ 'the audit starts again from main', info=true) }}
                {%- do audit_execute("alter table " ~ qualified ~ " drop branch `" ~ audit_branch() ~ "`") -%}
            {%- endif -%}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}

{% macro audit_main_is_base(qualified, heads, branch) -%}
    {#- Whether main's snapshot is the branch head or one of its ancestors (what fast_forward
        needs), walking the branch's parents in the table's snapshots. -#}
    {%- set parents = {} -%}
    {%- for row in run_query("select snapshot_id, parent_id from " ~ qualified ~ ".snapshots").rows -%}
        {%- do parents.update({row[0]: row[1]}) -%}
    {%- endfor -%}
    {%- set lineage = [heads.get(branch)] -%}
    {%- for _ in parents if lineage[-1] is not none and lineage[-1] != heads.get('main') -%}
        {%- do lineage.append(parents.get(lineage[-1])) -%}
    {%- endfor -%}
    {{- return(heads.get('main') in lineage) -}}
{%- endmacro %}

{#- Publish: main of every audited table moves to its audit branch (Iceberg's fast_forward, one
    commit per table), then the branch is dropped. Refined and the other upstream tables first,
    the data products last, so no data product is newer than what it was built from. A table
    without the branch had nothing written by the audited builds and keeps its main. Each
    published table's comments then become its node's descriptions (persist_table_docs): they
    are table-wide, so the audit left them alone (a change of a description alone is a change
    of the node: the build that changed it rebuilt the table, so it is published).

        dbt run-operation audit_publish --args '{branch: audit_domain}'
        dbt run-operation audit_publish --args '{branch: audit_sales, project: sales}' -#}
{% macro audit_publish(branch, project=none) %}
    {%- set catalog = iceberg_procedure_catalog() -%}
    {%- set ordered = iceberg_tables_of_project(project, curated=false)
                      + iceberg_tables_of_project(project, curated=true) -%}
    {%- set published = [] -%}
    {%- set with_periods = period_tables(ordered) -%}
    {%- for table in ordered -%}
        {%- set head = audit_refs(catalog ~ '.' ~ table).get(branch) -%}
        {%- if head is not none -%}
            {%- do run_query("call " ~ catalog ~ ".system.fast_forward('" ~ table ~ "', 'main', '" ~ branch ~ "')") -%}
            {%- do audit_execute("alter table " ~ catalog ~ "." ~ table ~ " drop branch `" ~ branch ~ "`") -%}
            {%- if table in with_periods -%}
                {%- do audit_publish_built_from(catalog ~ "." ~ table, branch) -%}
            {%- endif -%}
            {%- do persist_table_docs(table, iceberg_node(table)) -%}
            {%- do published.append(table) -%}
            {{ log('audit_publish: ' ~ table ~ ': main -> snapshot ' ~ head, info=true) }}
        {%- endif -%}
    {%- endfor -%}
    {{ log('audit_publish: ' ~ published | length ~ ' of ' ~ ordered | length
           ~ ' tables published from branch ' ~ branch, info=true) }}
{% endmacro %}

{% macro audit_publish_built_from(qualified, branch) -%}
    {#- What the branch's state was built from (macros/incremental/touched_periods.sql) is now
        main's: the property moves with the data. -#}
    {%- set shown = run_query("show tblproperties " ~ qualified ~ " ('" ~ built_from_property(branch) ~ "')") -%}
    {%- set recorded = shown.rows[0][1] if shown.rows | length > 0 else '' -%}
    {%- if recorded.startswith('{') -%}
        {%- do audit_execute("alter table " ~ qualified ~ " set tblproperties ('"
            ~ built_from_property('main') ~ "' = '" ~ recorded ~ "')") -%}
        {%- do audit_execute("alter table " ~ qualified ~ " unset tblproperties ('" ~ built_from_property(branch) ~ "')") -%}
    {%- endif -%}
{%- endmacro %}

{% macro audit_refs(qualified) -%}
    {#- The snapshot id every branch and tag of the table points at, by name. -#}
    {%- set heads = {} -%}
    {%- for row in run_query("select name, snapshot_id from " ~ qualified ~ ".refs").rows -%}
        {%- do heads.update({row[0]: row[1]}) -%}
    {%- endfor -%}
    {{- return(heads) -}}
{%- endmacro %}
