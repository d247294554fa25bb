{#- dbt's unit tests on dbt-glue. dbt's own `unit` materialization creates its empty temp relation
    with run_query(), which FETCHES a result. For a statement without a result (DDL), dbt-glue's
    session helper answers {"results": None} and its cursor's fetchall() then iterates None:
    every unit test fails with "'NoneType' object is not iterable" (dbt-glue 1.10), on AWS as
    on glue-local, and dbt build skips the tested model and everything downstream.

    This is dbt-core 1.10's materialization (dbt/include/global_project/macros/materializations/
    tests/unit.sql) with that one DDL run as a statement that fetches nothing, as dbt-glue's own
    materializations do (glue_exec_query). dbt-spark keeps dbt's default. -#}

{%- materialization unit, adapter='glue' -%}

  {% set relations = [] %}
  {% set sql_header = config.get('sql_header') if flags.REQUIRE_SQL_HEADER_IN_TEST_CONFIGS else none %}

  {% set expected_rows = config.get('expected_rows') %}
  {% set expected_sql = config.get('expected_sql') %}
  {% set tested_expected_column_names = expected_rows[0].keys() if (expected_rows | length ) > 0 else get_columns_in_query(sql) %}

  {%- set target_relation = this.incorporate(type='table') -%}
  {%- set temp_relation = make_temp_relation(target_relation)-%}
  {% call statement('create_unit_test_relation', fetch_result=False, auto_begin=False) -%}
    {{ get_create_table_as_sql(True, temp_relation, get_empty_subquery_sql(sql)) }}
  {%- endcall %}
  {%- set columns_in_relation = adapter.get_columns_in_relation(temp_relation) -%}
  {%- set column_name_to_data_types = {} -%}
  {%- set column_name_to_quoted = {} -%}
  {%- for column in columns_in_relation -%}
  {%-   do column_name_to_data_types.update({column.name|lower: column.data_type}) -%}
  {%-   do column_name_to_quoted.update({column.name|lower: column.quoted}) -%}
  {%- endfor -%}

  {%- set expected_column_names_quoted = [] -%}
  {%- for column_name in tested_expected_column_names -%}
  {%-   do expected_column_names_quoted.append(column_name_to_quoted[column_name|lower]) -%}
  {%- endfor -%}

  {% if not expected_sql %}
  {%   set expected_sql = get_expected_sql(expected_rows, column_name_to_data_types, column_name_to_quoted) %}
  {% endif %}
  {% set unit_test_sql = get_unit_test_sql(sql, expected_sql, expected_column_names_quoted) %}

  {% call statement('main', fetch_result=True) -%}

    {% if sql_header %}{{ sql_header }}{% endif %}
    {{ unit_test_sql }}

  {%- endcall %}

  {% do adapter.drop_relation(temp_relation) %}

  {{ return({'relations': relations}) }}

{%- endmaterialization -%}
