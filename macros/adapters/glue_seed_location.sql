{#- Seeds on dbt-glue land on their project's prefix, like every other table.

    dbt-glue creates a new seed table at {profile location}/{schema}/{name}: outside
    {layer bucket}/{project}/, the only prefix the project's dbt-session role may write
    (terraform/modules/project-iam), so the first `dbt seed` on AWS would be refused. This
    creates the table first, with the seed's declared column types, at table_location() (the
    same place as the local build); dbt-glue then finds it and only inserts the rows. -#}
{% macro glue__reset_csv_table(model, full_refresh, old_relation, agate_table) %}
    {%- if old_relation is none -%}
        {%- set declared = model['config'].get('column_types') or {} -%}
        {%- set columns = [] -%}
        {%- for name in agate_table.column_names -%}
            {%- set data_type = declared.get(name) or adapter.convert_type(agate_table, loop.index0) -%}
            {%- do columns.append('`' ~ name ~ '`' ~ ' ' ~ data_type) -%}
        {%- endfor -%}
        {% call statement('create_seed_table', fetch_result=False) %}
            create table {{ model['schema'] }}.{{ model['alias'] }} ({{ columns | join(', ') }})
            using {{ target.get('seed_format') or 'parquet' }}
            location '{{ table_location(model) }}'
        {% endcall %}
    {%- endif -%}
    {{ return(create_csv_table(model, agate_table)) }}
{% endmacro %}
