{#- Descriptions as catalog comments (dbt's persist_docs, set in dbt_project.yml): a model's
    description is its table's comment, each column's description the column's comment. On an
    Iceberg table that is the table property `comment` and the schema's column docs, which
    Iceberg's Glue catalog writes as the Glue table's Description and its columns' Comment.

    What the adapters do by themselves, and why these replace it:
    - dbt-spark comments a table only in CREATE TABLE (an existing table keeps its first
      comment) and ALTERs every column's comment after every build, changed or not;
    - dbt-glue comments CREATE TABLE with dbt-spark's macro, whose quoting its Python string
      undoes (a description with an apostrophe breaks the build), ALTERs columns after table
      models and snapshots only (never after an incremental model), the same way;
    - both ALTER during the build. Comments are table-wide in Iceberg, not per branch: in a
      gated build they would describe the unpublished data on main at once, so the gate
      publishes them with the data (audit_publish) and a gated build leaves them alone. -#}

{% macro spark__persist_docs(relation, model, for_relation=true, for_columns=true) -%}
    {#- Both adapters (dbt-glue has no persist_docs of its own and dispatches to spark__). -#}
    {%- if config.get('file_format') == 'iceberg' and not audit_applies() -%}
        {%- do persist_table_docs(relation, model, for_relation, for_columns) -%}
    {%- endif -%}
{%- endmacro %}

{% macro spark__comment_clause() -%}
    {#- dbt-spark's clause, quoted for the adapter (both adapters call it). -#}
    {%- set persist = config.get('persist_docs', {}) -%}
    {%- if persist is not mapping -%}
        {%- do exceptions.raise_compiler_error("persist_docs must be a mapping, got: " ~ persist) -%}
    {%- endif -%}
    {%- if persist.get('relation') -%}
        comment {{ sql_string_literal(model.description) }}
    {%- endif -%}
{%- endmacro %}

{% macro persist_table_docs(relation, node, for_relation=true, for_columns=true) -%}
    {#- The node's descriptions as its table's comments where they differ: one `describe`,
        then one ALTER per changed comment (Spark alters one column at a time). -#}
    {%- set persist = node.config.get('persist_docs') or {} -%}
    {%- set for_relation = for_relation and persist.get('relation') -%}
    {%- set for_columns = for_columns and persist.get('columns') -%}
    {%- if not (for_relation or for_columns) -%}
        {{- return(none) -}}
    {%- endif -%}
    {%- set current = table_comments(relation) -%}
    {%- set description = node.description or '' -%}
    {%- if for_relation and description != current.table -%}
        {%- do audit_execute("alter table " ~ relation ~ " set tblproperties ('comment' = "
            ~ sql_string_literal(description) ~ ")") -%}
    {%- endif -%}
    {%- if for_columns -%}
        {%- for name, column in node.columns.items()
                if name | lower in current.columns
                and (column.description or '') != current.columns[name | lower] -%}
            {%- do audit_execute("alter table " ~ relation ~ " alter column " ~ adapter.quote(name)
                ~ " comment " ~ sql_string_literal(column.description or '')) -%}
        {%- endfor -%}
    {%- endif -%}
{%- endmacro %}

{% macro table_comments(relation) -%}
    {#- {'table': comment, 'columns': {name: comment}} from `describe table extended`: columns
        until the first blank row, the table's comment in the detailed information. -#}
    {%- set found = {'table': '', 'columns': {}} -%}
    {%- set section = ['columns'] -%}
    {%- for row in run_query("describe table extended " ~ relation).rows -%}
        {%- set name = row[0] or '' -%}
        {%- if name == '' or name.startswith('#') -%}
            {%- do section.append(name) -%}
        {%- elif section[-1] == 'columns' -%}
            {%- do found.columns.update({name | lower: row[2] or ''}) -%}
        {%- elif section[-1] == '# Detailed Table Information' and name == 'Comment' -%}
            {%- do found.update({'table': row[1] or ''}) -%}
        {%- endif -%}
    {%- endfor -%}
    {{- return(found) -}}
{%- endmacro %}

{% macro sql_string_literal(text) -%}
    {{- return(adapter.dispatch('sql_string_literal')(text)) -}}
{%- endmacro %}

{% macro default__sql_string_literal(text) -%}
    {#- A Spark SQL string literal: backslashes and quotes escaped with a backslash. -#}
    {{- return("'" ~ text.replace('\\', '\\\\').replace("'", "\\'") ~ "'") -}}
{%- endmacro %}

{% macro glue__sql_string_literal(text) -%}
    {#- dbt-glue sends SQL inside a Python '''...''' string, which unescapes backslashes once
        more: each is doubled (an escaped quote then never closes the Python string). -#}
    {{- return(default__sql_string_literal(text).replace('\\', '\\\\')) -}}
{%- endmacro %}
