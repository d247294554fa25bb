{#- dbt-spark tells Iceberg tables apart by "Provider: iceberg" in SHOW TABLE EXTENDED. Iceberg's
    session catalog on a Hive metastore reports "Provider: hive" with the table property
    table_type=ICEBERG instead, so dbt-spark would take every Iceberg table for a Hive table:
    tables would be dropped and re-created instead of replaced atomically (create or replace),
    and snapshots would refuse to run a second time. This adds the missing marker.
    (dbt-glue reads table_type from the Glue Data Catalog and needs nothing.) -#}

{% macro spark__list_relations_without_caching(relation) %}
    {% call statement('list_relations_without_caching', fetch_result=True) -%}
        show table extended in {{ relation.schema }} like '*'
    {% endcall %}

    {%- set relations = [] -%}
    {%- for row in load_result('list_relations_without_caching').table -%}
        {%- set information = row[3] -%}
        {%- if 'table_type=ICEBERG' in information and 'Provider: iceberg' not in information -%}
            {%- set information = information ~ '\nProvider: iceberg\n' -%}
        {%- endif -%}
        {%- do relations.append([row[0], row[1], row[2], information]) -%}
    {%- endfor -%}
    {% do return(relations) %}
{% endmacro %}
